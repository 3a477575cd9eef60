package dev.kft.registry.domain;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kft.charts.ConfusionMatrixSvg;
import dev.kft.charts.LineChartSvg;
import dev.kft.charts.LineChartSvg.Mark;
import dev.kft.charts.LineChartSvg.Series;
import dev.kft.registry.domain.TrackedJob.TimelineEntry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The pictures of a job's page, drawn from its events and metric series: curves marked with the
 * best checkpoint and the step at which early stopping decided, the latest confusion matrix, and
 * one metric across a model's versions.
 */
public final class JobCharts {

  private JobCharts() {}

  /**
   * The steps worth pointing out on the job's curves: its best checkpoint so far and, when early
   * stopping ended the job, the evaluation that decided it.
   */
  public static List<Mark> marks(List<TimelineEntry> timeline) {
    List<Mark> marks = new ArrayList<>();
    JsonNode best = null;
    JsonNode exhausted = null;
    boolean stoppedEarly = false;
    for (TimelineEntry e : timeline) {
      JsonNode event = e.event();
      if (e.type().equals("CheckpointEvaluated")) {
        best = event.path("best").asBoolean() ? event : best;
        exhausted = event.path("patienceLeft").asInt(1) <= 0 ? event : exhausted;
      } else if (e.type().equals("TrainingFinished")) {
        stoppedEarly = event.path("reason").asText().equals("EARLY_STOPPED");
      }
    }
    if (best != null) {
      marks.add(new Mark(best.path("step").asLong(), "best: step " + best.path("step").asLong()));
    }
    if (stoppedEarly && exhausted != null) {
      long step = exhausted.path("step").asLong();
      marks.add(new Mark(step, "early stopping decided: step " + step));
    }
    return marks;
  }

  /** Whether a validation figure is one of the headline scores (accuracy, f1, mcc, ...). */
  public static boolean scoreLike(String name) {
    return VersionPictures.scoreLike(name);
  }

  /** A chart of named series; the names are the legend. */
  public static String curves(String title, Map<String, List<double[]>> series, List<Mark> marks) {
    List<Series> drawn = new ArrayList<>();
    series.forEach(
        (name, points) -> {
          if (!points.isEmpty()) {
            drawn.add(new Series(name, points));
          }
        });
    return LineChartSvg.render(title, "step", drawn, marks);
  }

  /**
   * The latest confusion matrix the job has: the test split's once the evaluator proposed a
   * candidate, else the best validation checkpoint's.
   */
  public static Optional<String> confusionMatrix(List<TimelineEntry> timeline) {
    String svg = null;
    for (TimelineEntry e : timeline) {
      if (e.type().equals("ModelCandidate")) {
        svg = matrix(e.event().path("testConfusionMatrix"), "Test confusion matrix");
      } else if (e.type().equals("CheckpointEvaluated") && e.event().path("best").asBoolean()) {
        String step = e.event().path("step").asText();
        svg =
            Optional.ofNullable(
                    matrix(
                        e.event().path("confusionMatrix"),
                        "Validation confusion matrix, step " + step))
                .orElse(svg);
      }
    }
    return Optional.ofNullable(svg);
  }

  private static String matrix(JsonNode m, String title) {
    if (!m.isObject()) {
      return null;
    }
    List<String> labels = new ArrayList<>();
    m.path("labels").forEach(l -> labels.add(l.asText()));
    long[][] counts = new long[labels.size()][labels.size()];
    for (int i = 0; i < labels.size(); i++) {
      for (int j = 0; j < labels.size(); j++) {
        counts[i][j] = m.path("counts").path(i).path(j).asLong();
      }
    }
    return ConfusionMatrixSvg.render(labels, counts, title);
  }

  /**
   * One metric across a model's versions: the validation and the test figure of each version.
   *
   * @param metric the name without its split ({@code accuracy}, {@code f1})
   */
  public static String acrossVersions(String model, String metric, List<ModelVersion> versions) {
    List<Series> series = new ArrayList<>();
    add(series, "validation " + metric, versions, v -> v.evalMetrics().get("eval_" + metric));
    add(series, "test " + metric, versions, v -> v.testMetrics().get("test_" + metric));
    return LineChartSvg.render(model + ": " + metric + " by version", "version", series, List.of());
  }

  private static void add(
      List<Series> series,
      String name,
      List<ModelVersion> versions,
      Function<ModelVersion, Double> figure) {
    List<double[]> points = new ArrayList<>();
    versions.stream()
        .sorted((a, b) -> Integer.compare(a.version(), b.version()))
        .forEach(
            v -> {
              Double value = figure.apply(v);
              if (value != null) {
                points.add(new double[] {v.version(), value});
              }
            });
    if (!points.isEmpty()) {
      series.add(new Series(name, points));
    }
  }
}
