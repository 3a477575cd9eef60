package dev.kft.evaluator.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kft.json.Json;
import dev.kft.testing.PythonReference;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every figure equals scikit-learn's (Debian's python3-sklearn) to 1e-12, on random binary and
 * 10-class label sets where some classes are never predicted and some never occur, with {@code
 * zero_division} 0 and 1.
 */
@Tag("parity")
class ClassificationMetricsTest {

  private static final double TOLERANCE = 1e-12;

  @TempDir Path dir;

  private record Case(
      int[] truth, int[] predicted, int labels, int zeroDivision, double[] scores) {}

  private static List<Case> cases() {
    List<Case> cases = new ArrayList<>();
    Random random = new Random(2026);
    for (int seed = 0; seed < 6; seed++) {
      int labels = seed % 2 == 0 ? 2 : 10;
      int n = 50 + random.nextInt(300);
      int[] truth = new int[n];
      int[] predicted = new int[n];
      double[] scores = labels == 2 ? new double[n] : null;
      for (int i = 0; i < n; i++) {
        // Class 9 never occurs, class 8 is never predicted (10-class cases).
        truth[i] = labels == 2 ? random.nextInt(2) : random.nextInt(9);
        predicted[i] = random.nextDouble() < 0.6 ? truth[i] : random.nextInt(labels);
        if (labels == 10 && predicted[i] == 8) {
          predicted[i] = 7;
        }
        if (scores != null) {
          // Rounded so that ties occur.
          scores[i] = Math.round((0.4 * truth[i] + 0.6 * random.nextDouble()) * 20) / 20.0;
        }
      }
      cases.add(new Case(truth, predicted, labels, seed % 3 == 0 ? 1 : 0, scores));
    }
    return cases;
  }

  @Test
  void everyFigureEqualsScikitLearn() throws Exception {
    List<Case> cases = cases();
    List<Map<String, Object>> json = new ArrayList<>();
    for (Case c : cases) {
      Map<String, Object> m =
          new java.util.LinkedHashMap<>(
              Map.of(
                  "y_true",
                  c.truth(),
                  "y_pred",
                  c.predicted(),
                  "labels",
                  c.labels(),
                  "zero_division",
                  c.zeroDivision()));
      if (c.scores() != null) {
        m.put("scores", c.scores());
      }
      json.add(m);
    }
    Files.writeString(dir.resolve("cases.json"), Json.mapper().writeValueAsString(json));
    JsonNode expected =
        Json.mapper().readTree(PythonReference.run("metrics_reference.py", dir, "cases.json"));
    for (int i = 0; i < cases.size(); i++) {
      Case c = cases.get(i);
      JsonNode e = expected.get(i);
      ClassificationMetrics m =
          ClassificationMetrics.of(c.truth(), c.predicted(), c.labels(), c.zeroDivision());
      String at = "case " + i + " ";
      assertEquals(e.get("accuracy").asDouble(), m.accuracy(), TOLERANCE, at + "accuracy");
      assertEquals(e.get("mcc").asDouble(), m.matthews(), TOLERANCE, at + "mcc");
      for (String kind : List.of("micro", "macro", "weighted")) {
        ClassificationMetrics.Scores s = m.average(kind);
        assertEquals(e.get(kind).get(0).asDouble(), s.precision(), TOLERANCE, at + kind);
        assertEquals(e.get(kind).get(1).asDouble(), s.recall(), TOLERANCE, at + kind);
        assertEquals(e.get(kind).get(2).asDouble(), s.f1(), TOLERANCE, at + kind);
      }
      for (int k = 0; k < c.labels(); k++) {
        JsonNode row = e.get("per_class").get(k);
        ClassificationMetrics.Scores s = m.perClass(k);
        assertEquals(row.get(0).asDouble(), s.precision(), TOLERANCE, at + "class " + k);
        assertEquals(row.get(1).asDouble(), s.recall(), TOLERANCE, at + "class " + k);
        assertEquals(row.get(2).asDouble(), s.f1(), TOLERANCE, at + "class " + k);
        assertEquals(row.get(3).asLong(), m.support(k), at + "support " + k);
        for (int p = 0; p < c.labels(); p++) {
          assertEquals(e.get("confusion").get(k).get(p).asLong(), m.confusion()[k][p]);
        }
      }
      if (c.scores() != null) {
        assertEquals(
            e.get("roc_auc").asDouble(),
            ClassificationMetrics.rocAuc(c.truth(), c.scores()),
            TOLERANCE,
            at + "roc_auc");
      }
    }
  }
}
