package dev.kft.registry.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kft.events.ConfusionMatrix;
import dev.kft.events.ModelCandidate;
import dev.kft.registry.domain.TrackedJob.MetricPoint;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.w3c.dom.NodeList;

/** A version's card shows its confusion matrix and curves, drawn from the job's figures. */
@Tag("unit")
class VersionPicturesTest {

  private static final ModelCandidate CANDIDATE =
      Cards.candidate(
          List.of("差评", "好评"),
          new ConfusionMatrix(List.of("差评", "好评"), List.of(List.of(40L, 5L), List.of(3L, 52L))));

  private static List<MetricPoint> metrics() {
    List<MetricPoint> points = new ArrayList<>();
    for (int step = 5; step <= 30; step += 5) {
      points.add(new MetricPoint("train", step, "loss", 1.0 / step));
      points.add(new MetricPoint("train", step, "learning_rate", 1e-3 * (30 - step) / 30));
    }
    for (int step = 10; step <= 30; step += 10) {
      points.add(new MetricPoint("eval", step, "eval_loss", 0.5 - step / 100.0));
      points.add(new MetricPoint("eval", step, "eval_f1", 0.7 + step / 100.0));
      points.add(new MetricPoint("eval", step, "eval_accuracy", 0.72 + step / 100.0));
      points.add(new MetricPoint("eval", step, "eval_runtime", 3.0));
    }
    return points;
  }

  private static List<String> series(String svg) throws Exception {
    NodeList lines =
        DocumentBuilderFactory.newInstance()
            .newDocumentBuilder()
            .parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)))
            .getElementsByTagName("polyline");
    List<String> names = new ArrayList<>();
    for (int i = 0; i < lines.getLength(); i++) {
      names.add(((org.w3c.dom.Element) lines.item(i)).getAttribute("data-series"));
    }
    return names;
  }

  @Test
  void theCardShowsTheMatrixAndTheCurves() throws Exception {
    Map<String, String> pictures = VersionPictures.render(CANDIDATE, metrics());
    assertEquals(
        List.of("confusion_matrix.svg", "loss.svg", "evaluation.svg", "learning_rate.svg"),
        List.copyOf(pictures.keySet()));
    assertEquals(List.of("training loss", "validation loss"), series(pictures.get("loss.svg")));
    assertEquals(
        List.of("eval_accuracy", "eval_f1"),
        series(pictures.get("evaluation.svg")),
        "scores only: no loss, no runtime");
    assertTrue(pictures.get("evaluation.svg").contains("this version: step 20"));
    assertTrue(pictures.get("confusion_matrix.svg").contains("好评"));

    String card =
        ModelCard.render(
            "m",
            1,
            CANDIDATE,
            Cards.prepared(
                "{model: {source: m}, dataset: {uri: d.csv}, registry: {model_name: m}}"),
            pictures.keySet());
    for (String file : pictures.keySet()) {
      assertTrue(card.contains("](" + file + ")"), "the card shows " + file);
    }
  }

  @Test
  void aJobWithoutFiguresGetsNoCurves() {
    assertEquals(
        List.of("confusion_matrix.svg"),
        List.copyOf(VersionPictures.render(CANDIDATE, List.of()).keySet()));
  }
}
