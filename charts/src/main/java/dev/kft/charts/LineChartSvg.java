package dev.kft.charts;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Draws metric curves as SVG: series of (step, value) points against one step axis, with ticks, a
 * legend and marked steps (the best checkpoint, an early-stopping decision). A series longer than
 * {@value #MAX_POINTS} points is thinned to that many, keeping the lowest and highest value of each
 * stretch so that spikes survive. Text is left to the viewer's fonts, so names in any script
 * render.
 */
public final class LineChartSvg {

  /** The most points drawn per series. */
  public static final int MAX_POINTS = 1000;

  /** Series of at most this many points get a dot on each. */
  static final int DOTTED = 40;

  static final int WIDTH = 640;
  static final int HEIGHT = 320;
  static final int LEFT = 64;
  static final int RIGHT = 24;
  static final int TOP = 40;
  static final int BOTTOM = 44;

  private static final String[] COLOURS = {
    "#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#17becf"
  };

  /**
   * One curve.
   *
   * @param points (step, value) pairs in step order
   */
  public record Series(String name, List<double[]> points) {}

  /** A step to point out, such as the checkpoint chosen as the best; labels stack upwards. */
  public record Mark(double step, String label) {}

  private LineChartSvg() {}

  /**
   * Draws the series; an empty chart (no points at all) says so instead of drawing axes.
   *
   * @param marks the steps to mark, none for a plain chart
   */
  public static String render(String title, String xLabel, List<Series> series, List<Mark> marks) {
    StringBuilder svg = new StringBuilder();
    svg.append(
        String.format(
            Locale.ROOT,
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
                + "font-family=\"sans-serif\" font-size=\"12\">%n<title>%s</title>%n"
                + "<text x=\"%d\" y=\"20\" font-weight=\"bold\" font-size=\"14\">%s</text>%n",
            WIDTH,
            HEIGHT,
            escape(title),
            LEFT,
            escape(title)));
    Frame frame = Frame.of(series);
    if (frame == null) {
      svg.append(
          String.format(
              Locale.ROOT,
              "<text x=\"%d\" y=\"%d\">no figures yet</text>%n</svg>%n",
              LEFT,
              HEIGHT / 2));
      return svg.toString();
    }
    axes(svg, frame, xLabel);
    for (int i = 0; i < series.size(); i++) {
      curve(svg, frame, series.get(i), COLOURS[i % COLOURS.length], i);
    }
    marks(svg, frame, marks);
    return svg.append("</svg>\n").toString();
  }

  private static void marks(StringBuilder svg, Frame frame, List<Mark> marks) {
    for (int i = 0; i < marks.size(); i++) {
      double x = frame.x(marks.get(i).step());
      // a label near the right edge is written leftwards, so that it stays inside the picture
      boolean leftwards = x > WIDTH / 2.0;
      svg.append(
          String.format(
              Locale.ROOT,
              "<line class=\"mark\" x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#444\""
                  + " stroke-dasharray=\"4 3\"/>%n<text x=\"%.1f\" y=\"%d\" font-size=\"11\""
                  + " text-anchor=\"%s\">%s</text>%n",
              x,
              TOP,
              x,
              HEIGHT - BOTTOM,
              leftwards ? x - 4 : x + 4,
              HEIGHT - BOTTOM - 6 - 13 * i,
              leftwards ? "end" : "start",
              escape(marks.get(i).label())));
    }
  }

  private static void axes(StringBuilder svg, Frame f, String xLabel) {
    svg.append(
        String.format(
            Locale.ROOT,
            "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" stroke=\"#999\"/>%n",
            LEFT,
            TOP,
            WIDTH - LEFT - RIGHT,
            HEIGHT - TOP - BOTTOM));
    for (double v : Ticks.of(f.minY(), f.maxY())) {
      svg.append(
          String.format(
              Locale.ROOT,
              "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s</text>%n",
              LEFT - 6,
              f.y(v) + 4,
              Ticks.label(v)));
    }
    for (double v : Ticks.of(f.minX(), f.maxX())) {
      svg.append(
          String.format(
              Locale.ROOT,
              "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>%n",
              f.x(v),
              HEIGHT - BOTTOM + 16,
              Ticks.label(v)));
    }
    svg.append(
        String.format(
            Locale.ROOT,
            "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">%s</text>%n",
            LEFT + (WIDTH - LEFT - RIGHT) / 2,
            HEIGHT - 8,
            escape(xLabel)));
  }

  private static void curve(StringBuilder svg, Frame f, Series s, String colour, int index) {
    List<double[]> drawn = thin(s.points(), MAX_POINTS);
    StringBuilder points = new StringBuilder();
    for (double[] p : drawn) {
      points.append(String.format(Locale.ROOT, "%.1f,%.1f ", f.x(p[0]), f.y(p[1])));
    }
    svg.append(
        String.format(
            Locale.ROOT,
            "<polyline data-series=\"%s\" fill=\"none\" stroke=\"%s\" stroke-width=\"1.5\""
                + " points=\"%s\"/>%n<text x=\"%d\" y=\"%d\" fill=\"%s\">%s</text>%n",
            escape(s.name()),
            colour,
            points.toString().strip(),
            WIDTH - RIGHT - 150,
            TOP + 16 + 14 * index,
            colour,
            escape(s.name())));
    if (drawn.size() <= DOTTED) {
      // few points (evaluations, versions): each is drawn, so that a lone one is seen at all
      for (double[] p : drawn) {
        svg.append(
            String.format(
                Locale.ROOT,
                "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"2.5\" fill=\"%s\"/>%n",
                f.x(p[0]),
                f.y(p[1]),
                colour));
      }
    }
  }

  /**
   * At most {@code max} of {@code points}: the first and the last, and from each of equal stretches
   * between them the lowest and the highest value, in step order.
   */
  static List<double[]> thin(List<double[]> points, int max) {
    if (points.size() <= max) {
      return points;
    }
    List<double[]> kept = new ArrayList<>();
    kept.add(points.get(0));
    int buckets = (max - 2) / 2;
    int inner = points.size() - 2;
    for (int b = 0; b < buckets; b++) {
      int from = 1 + (int) ((long) b * inner / buckets);
      int to = 1 + (int) ((long) (b + 1) * inner / buckets);
      double[] low = null;
      double[] high = null;
      for (int i = from; i < to; i++) {
        double[] p = points.get(i);
        low = low == null || p[1] < low[1] ? p : low;
        high = high == null || p[1] > high[1] ? p : high;
      }
      if (low != null) {
        kept.add(low[0] <= high[0] ? low : high);
        if (low != high) {
          kept.add(low[0] <= high[0] ? high : low);
        }
      }
    }
    kept.add(points.get(points.size() - 1));
    return kept;
  }

  static String escape(String text) {
    return text.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("\"", "&quot;");
  }

  /** The data ranges and their mapping to the plot area. */
  record Frame(double minX, double maxX, double minY, double maxY) {

    static Frame of(List<Series> series) {
      double minX = Double.POSITIVE_INFINITY;
      double maxX = Double.NEGATIVE_INFINITY;
      double minY = Double.POSITIVE_INFINITY;
      double maxY = Double.NEGATIVE_INFINITY;
      for (Series s : series) {
        for (double[] p : s.points()) {
          minX = Math.min(minX, p[0]);
          maxX = Math.max(maxX, p[0]);
          minY = Math.min(minY, p[1]);
          maxY = Math.max(maxY, p[1]);
        }
      }
      if (minX > maxX) {
        return null;
      }
      if (minX == maxX) {
        maxX = minX + 1;
      }
      double pad = minY == maxY ? Math.max(1e-9, Math.abs(minY) * 0.1) : (maxY - minY) * 0.05;
      return new Frame(minX, maxX, minY - pad, maxY + pad);
    }

    double x(double step) {
      return LEFT + (step - minX) / (maxX - minX) * (WIDTH - LEFT - RIGHT);
    }

    double y(double value) {
      return HEIGHT - BOTTOM - (value - minY) / (maxY - minY) * (HEIGHT - TOP - BOTTOM);
    }
  }
}
