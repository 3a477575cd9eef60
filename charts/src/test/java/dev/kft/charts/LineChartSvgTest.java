package dev.kft.charts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

@Tag("unit")
class LineChartSvgTest {

  private static Document parse(String svg) throws Exception {
    return DocumentBuilderFactory.newInstance()
        .newDocumentBuilder()
        .parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
  }

  private static double[][] points(Element polyline) {
    String[] pairs = polyline.getAttribute("points").split(" ");
    double[][] xy = new double[pairs.length][];
    for (int i = 0; i < pairs.length; i++) {
      String[] p = pairs[i].split(",");
      xy[i] = new double[] {Double.parseDouble(p[0]), Double.parseDouble(p[1])};
    }
    return xy;
  }

  @Test
  void stepsRunLeftToRightAndHigherValuesAreDrawnHigher() throws Exception {
    LineChartSvg.Series loss =
        new LineChartSvg.Series(
            "训练 loss <train>",
            List.of(new double[] {10, 0.9}, new double[] {20, 0.5}, new double[] {30, 0.2}));
    Document svg =
        parse(
            LineChartSvg.render(
                "Loss",
                "step",
                List.of(loss),
                List.of(new LineChartSvg.Mark(20, "best: step 20"))));
    Element line = (Element) svg.getElementsByTagName("polyline").item(0);
    assertEquals("训练 loss <train>", line.getAttribute("data-series"));
    double[][] xy = points(line);
    assertEquals(3, xy.length);
    assertEquals(LineChartSvg.LEFT, xy[0][0], 0.05, "the first step at the left edge");
    assertEquals(LineChartSvg.WIDTH - LineChartSvg.RIGHT, xy[2][0], 0.05, "the last at the right");
    assertEquals((xy[0][0] + xy[2][0]) / 2, xy[1][0], 0.1, "step 20 half way");
    assertTrue(xy[0][1] < xy[1][1] && xy[1][1] < xy[2][1], "falling loss runs down the page");
    Element mark = (Element) svg.getElementsByTagName("line").item(0);
    assertEquals(xy[1][0], Double.parseDouble(mark.getAttribute("x1")), 0.1);
  }

  @Test
  void longSeriesAreThinnedKeepingTheirEndsAndSpikes() {
    List<double[]> points = new ArrayList<>();
    for (int i = 0; i < 100_000; i++) {
      points.add(new double[] {i, i == 54_321 ? 50 : Math.sin(i / 1000.0)});
    }
    List<double[]> thinned = LineChartSvg.thin(points, LineChartSvg.MAX_POINTS);
    assertTrue(thinned.size() <= LineChartSvg.MAX_POINTS, thinned.size() + " points");
    assertEquals(0, thinned.get(0)[0]);
    assertEquals(99_999, thinned.get(thinned.size() - 1)[0]);
    assertTrue(thinned.stream().anyMatch(p -> p[1] == 50), "the spike is kept");
    for (int i = 1; i < thinned.size(); i++) {
      assertTrue(thinned.get(i - 1)[0] < thinned.get(i)[0], "in step order");
    }
  }

  @Test
  void ticksAreRoundAndNoChartIsDrawnWithoutFigures() throws Exception {
    assertEquals(List.of(0.2, 0.4, 0.6, 0.8, 1.0), Ticks.of(0.15, 1.04));
    assertEquals(List.of(0.0, 500.0, 1000.0, 1500.0, 2000.0), Ticks.of(0, 2000));
    assertEquals("0.002", Ticks.label(0.002));
    assertEquals("1.5", Ticks.label(1.5));
    assertEquals("2.0e-05", Ticks.label(2e-5));
    String empty = LineChartSvg.render("Loss", "step", List.of(), List.of());
    assertEquals(0, parse(empty).getElementsByTagName("polyline").getLength());
    assertTrue(empty.contains("no figures yet"));
  }

  @Test
  void aShortSeriesHasADotOnEachPointAndTwoMarksStackWithoutOverlapping() throws Exception {
    List<double[]> few = List.of(new double[] {1, 0.8});
    List<double[]> many = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      many.add(new double[] {i, Math.sin(i)});
    }
    Document chart =
        parse(
            LineChartSvg.render(
                "f1 by version",
                "version",
                List.of(new LineChartSvg.Series("one version", few)),
                List.of(new LineChartSvg.Mark(1, "best"), new LineChartSvg.Mark(1, "stopped"))));
    assertEquals(1, chart.getElementsByTagName("circle").getLength(), "the lone point is seen");
    List<String> labelHeights = new ArrayList<>();
    var texts = chart.getElementsByTagName("text");
    for (int i = 0; i < texts.getLength(); i++) {
      Element t = (Element) texts.item(i);
      if (t.getTextContent().equals("best") || t.getTextContent().equals("stopped")) {
        labelHeights.add(t.getAttribute("y"));
      }
    }
    assertEquals(2, labelHeights.size());
    assertTrue(!labelHeights.get(0).equals(labelHeights.get(1)), "labels " + labelHeights);
    Document dense =
        parse(
            LineChartSvg.render(
                "loss", "step", List.of(new LineChartSvg.Series("loss", many)), List.of()));
    assertEquals(0, dense.getElementsByTagName("circle").getLength(), "a dense curve is a line");
  }
}
