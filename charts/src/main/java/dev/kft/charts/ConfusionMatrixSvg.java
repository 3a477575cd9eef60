package dev.kft.charts;

import java.util.List;
import java.util.Locale;

/**
 * Draws a confusion matrix as SVG: a grid of counts shaded by their share of the true class, true
 * labels down the side, predicted labels along the top. Text is left to the viewer's fonts, so
 * label names in any script (Chinese included) render without a raster font on the server.
 */
public final class ConfusionMatrixSvg {

  private static final int CELL = 64;
  private static final int MARGIN = 140;

  private ConfusionMatrixSvg() {}

  public static String render(List<String> labels, long[][] counts, String title) {
    int n = labels.size();
    int size = MARGIN + n * CELL + 20;
    StringBuilder svg = new StringBuilder();
    svg.append(
        String.format(
            Locale.ROOT,
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
                + "font-family=\"sans-serif\" font-size=\"13\">%n",
            size,
            size + 20));
    svg.append(String.format(Locale.ROOT, "<title>%s</title>%n", escape(title)));
    svg.append(
        String.format(
            Locale.ROOT,
            "<text x=\"%d\" y=\"18\" font-weight=\"bold\">%s</text>%n",
            10,
            escape(title)));
    svg.append(
        String.format(
            Locale.ROOT, "<text x=\"%d\" y=\"%d\">predicted</text>%n", MARGIN, MARGIN - 40));
    svg.append(String.format(Locale.ROOT, "<text x=\"10\" y=\"%d\">true</text>%n", MARGIN + 16));
    for (int i = 0; i < n; i++) {
      long rowTotal = 0;
      for (long c : counts[i]) {
        rowTotal += c;
      }
      svg.append(
          String.format(
              Locale.ROOT,
              "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">%s</text>%n",
              MARGIN + i * CELL + CELL / 2,
              MARGIN - 10,
              escape(labels.get(i))));
      svg.append(
          String.format(
              Locale.ROOT,
              "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%s</text>%n",
              MARGIN - 10,
              MARGIN + i * CELL + CELL / 2 + 5,
              escape(labels.get(i))));
      for (int j = 0; j < n; j++) {
        double share = rowTotal == 0 ? 0 : (double) counts[i][j] / rowTotal;
        int shade = (int) Math.round(255 - share * 200);
        svg.append(
            String.format(
                Locale.ROOT,
                "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"rgb(%d,%d,255)\" "
                    + "stroke=\"#888\"/>%n",
                MARGIN + j * CELL,
                MARGIN + i * CELL,
                CELL,
                CELL,
                shade,
                shade));
        svg.append(
            String.format(
                Locale.ROOT,
                "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">%d</text>%n",
                MARGIN + j * CELL + CELL / 2,
                MARGIN + i * CELL + CELL / 2 + 5,
                counts[i][j]));
      }
    }
    svg.append("</svg>\n");
    return svg.toString();
  }

  private static String escape(String text) {
    return text.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("\"", "&quot;");
  }
}
