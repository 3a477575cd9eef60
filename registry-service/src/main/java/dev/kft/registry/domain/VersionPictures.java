package dev.kft.registry.domain;

import dev.kft.charts.ConfusionMatrixSvg;
import dev.kft.charts.LineChartSvg;
import dev.kft.charts.LineChartSvg.Series;
import dev.kft.events.ConfusionMatrix;
import dev.kft.events.ModelCandidate;
import dev.kft.registry.domain.TrackedJob.MetricPoint;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The pictures of a version's model card, written as SVG files beside it: the test confusion
 * matrix, the training and validation loss, the other validation metrics, and the learning rate,
 * each curve marking the checkpoint that became the version. A picture without figures is left out.
 */
public final class VersionPictures {

  public static final String CONFUSION_MATRIX = "confusion_matrix.svg";
  public static final String LOSS = "loss.svg";
  public static final String EVALUATION = "evaluation.svg";
  public static final String LEARNING_RATE = "learning_rate.svg";

  /** The validation scores worth a curve: not losses, times, counts or per-label figures. */
  private static final Set<String> HEADLINE =
      Set.of("accuracy", "f1", "f1_macro", "precision", "recall", "mcc", "roc_auc");

  private VersionPictures() {}

  /**
   * The pictures by file name, in the order the card shows them.
   *
   * @param metrics the job's figures as the registry tracked them
   */
  public static Map<String, String> render(ModelCandidate candidate, List<MetricPoint> metrics) {
    Map<String, String> pictures = new LinkedHashMap<>();
    ConfusionMatrix m = candidate.testConfusionMatrix();
    if (m != null) {
      long[][] counts =
          m.counts().stream()
              .map(row -> row.stream().mapToLong(Long::longValue).toArray())
              .toArray(long[][]::new);
      pictures.put(
          CONFUSION_MATRIX, ConfusionMatrixSvg.render(m.labels(), counts, "Test confusion matrix"));
    }
    List<LineChartSvg.Mark> chosen =
        List.of(new LineChartSvg.Mark(candidate.step(), "this version: step " + candidate.step()));
    List<Series> loss = new ArrayList<>();
    series(metrics, "train", "loss").map(p -> new Series("training loss", p)).ifPresent(loss::add);
    series(metrics, "eval", "eval_loss")
        .map(p -> new Series("validation loss", p))
        .ifPresent(loss::add);
    chart(pictures, LOSS, "Loss", loss, chosen);
    List<Series> evaluation = new ArrayList<>();
    Map<String, List<double[]>> byName = new TreeMap<>();
    for (MetricPoint p : metrics) {
      if (p.kind().equals("eval") && scoreLike(p.name())) {
        byName
            .computeIfAbsent(p.name(), n -> new ArrayList<>())
            .add(new double[] {p.step(), p.value()});
      }
    }
    byName.forEach((name, points) -> evaluation.add(new Series(name, points)));
    chart(pictures, EVALUATION, "Validation metrics", evaluation, chosen);
    List<Series> rate = new ArrayList<>();
    series(metrics, "train", "learning_rate")
        .map(p -> new Series("learning rate", p))
        .ifPresent(rate::add);
    chart(pictures, LEARNING_RATE, "Learning rate", rate, List.of());
    return pictures;
  }

  /** Whether a validation figure is one of the headline scores the charts draw. */
  static boolean scoreLike(String name) {
    return HEADLINE.contains(name.replaceFirst("^eval_", ""));
  }

  private static java.util.Optional<List<double[]>> series(
      List<MetricPoint> metrics, String kind, String name) {
    List<double[]> points = new ArrayList<>();
    for (MetricPoint p : metrics) {
      if (p.kind().equals(kind) && p.name().equals(name)) {
        points.add(new double[] {p.step(), p.value()});
      }
    }
    return points.isEmpty() ? java.util.Optional.empty() : java.util.Optional.of(points);
  }

  private static void chart(
      Map<String, String> pictures,
      String file,
      String title,
      List<Series> series,
      List<LineChartSvg.Mark> marks) {
    if (!series.isEmpty()) {
      pictures.put(file, LineChartSvg.render(title, "step", series, marks));
    }
  }
}
