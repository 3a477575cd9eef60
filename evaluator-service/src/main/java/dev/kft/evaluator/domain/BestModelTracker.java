package dev.kft.evaluator.domain;

import dev.kft.job.TrainingSpec;
import java.util.Map;
import java.util.TreeSet;

/**
 * Follows a job's evaluations as Hugging Face's {@code Trainer} and {@code EarlyStoppingCallback}
 * do: the metric is {@code metric_for_best_model} with {@code eval_} prepended when missing; {@code
 * greater_is_better} defaults to false only for names ending in {@code loss}; a checkpoint is the
 * new best when strictly better than the best so far; the patience counter resets only when that
 * improvement also exceeds {@code early_stopping_threshold}, and training stops once it reaches
 * {@code early_stopping_patience}. A metric the evaluation does not produce is an error, not a
 * silently disabled early stopping.
 */
public final class BestModelTracker {

  /**
   * What one evaluation changed.
   *
   * @param best whether this checkpoint is now the best
   * @param patienceLeft evaluations without improvement still allowed, or -1 without early stopping
   * @param stop whether training should stop now
   */
  public record Verdict(boolean best, int patienceLeft, boolean stop) {}

  private final String metric;
  private final boolean greaterIsBetter;
  private final Integer patience;
  private final double threshold;
  private Double bestValue;
  private long bestStep = -1;
  private int withoutImprovement;

  /**
   * @param metricForBestModel the metric, with or without {@code eval_}
   * @param greaterIsBetter null for Hugging Face's default
   * @param patience null when early stopping is off
   */
  public BestModelTracker(
      String metricForBestModel, Boolean greaterIsBetter, Integer patience, double threshold) {
    this.metric =
        metricForBestModel.startsWith("eval_") ? metricForBestModel : "eval_" + metricForBestModel;
    this.greaterIsBetter =
        greaterIsBetter != null ? greaterIsBetter : TrainingSpec.greaterIsBetterFor(metric);
    this.patience = patience;
    this.threshold = threshold;
  }

  public String metric() {
    return metric;
  }

  /**
   * Takes the metrics of the checkpoint at {@code step}.
   *
   * @throws IllegalArgumentException naming the metric and those available when it is missing
   */
  public Verdict record(long step, Map<String, Double> metrics) {
    Double value = metrics.get(metric);
    if (value == null) {
      throw new IllegalArgumentException(
          "training.metric_for_best_model: '"
              + metric
              + "' is not among the evaluation's metrics "
              + new TreeSet<>(metrics.keySet()));
    }
    boolean better = bestValue == null || (greaterIsBetter ? value > bestValue : value < bestValue);
    boolean significant = bestValue == null || (better && Math.abs(value - bestValue) > threshold);
    withoutImprovement = significant ? 0 : withoutImprovement + 1;
    if (better) {
      bestValue = value;
      bestStep = step;
    }
    if (patience == null) {
      return new Verdict(better, -1, false);
    }
    return new Verdict(
        better, Math.max(0, patience - withoutImprovement), withoutImprovement >= patience);
  }

  /** The step of the best checkpoint so far, or -1. */
  public long bestStep() {
    return bestStep;
  }

  public Double bestValue() {
    return bestValue;
  }
}
