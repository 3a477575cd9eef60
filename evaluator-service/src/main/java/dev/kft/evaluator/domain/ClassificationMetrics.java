package dev.kft.evaluator.domain;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Classification metrics over a fixed label set, computed as scikit-learn computes them with {@code
 * labels=range(n)}: accuracy, per-class precision / recall / F1 / support, their {@code micro},
 * {@code macro} and {@code weighted} averages with a chosen {@code zero_division} value, the
 * confusion matrix (rows true, columns predicted), Matthews' correlation coefficient and, for two
 * classes with scores, ROC AUC.
 */
public final class ClassificationMetrics {

  /** Precision, recall and F1 of one class or one average. */
  public record Scores(double precision, double recall, double f1) {}

  private final long[][] confusion;
  private final double zeroDivision;

  private ClassificationMetrics(long[][] confusion, double zeroDivision) {
    this.confusion = confusion;
    this.zeroDivision = zeroDivision;
  }

  /**
   * @param labels number of classes; every label id lies in {@code [0, labels)}
   * @param zeroDivision the value of a ratio whose denominator is zero (scikit-learn's {@code
   *     zero_division}: 0 or 1)
   */
  public static ClassificationMetrics of(
      int[] truth, int[] predicted, int labels, double zeroDivision) {
    if (truth.length != predicted.length || truth.length == 0) {
      throw new IllegalArgumentException("need as many predictions as labels, at least one");
    }
    long[][] confusion = new long[labels][labels];
    for (int i = 0; i < truth.length; i++) {
      confusion[truth[i]][predicted[i]]++;
    }
    return new ClassificationMetrics(confusion, zeroDivision);
  }

  /** {@code counts[true][predicted]}. */
  public long[][] confusion() {
    return confusion;
  }

  private int n() {
    return confusion.length;
  }

  private long truePositives(int k) {
    return confusion[k][k];
  }

  /** Examples of class k (the row sum). */
  public long support(int k) {
    long s = 0;
    for (long c : confusion[k]) {
      s += c;
    }
    return s;
  }

  private long predictedAs(int k) {
    long s = 0;
    for (long[] row : confusion) {
      s += row[k];
    }
    return s;
  }

  private long total() {
    long s = 0;
    for (int k = 0; k < n(); k++) {
      s += support(k);
    }
    return s;
  }

  public double accuracy() {
    long correct = 0;
    for (int k = 0; k < n(); k++) {
      correct += truePositives(k);
    }
    return (double) correct / total();
  }

  /** Scores of one class. */
  public Scores perClass(int k) {
    return scores(truePositives(k), predictedAs(k), support(k));
  }

  /** {@code micro}, {@code macro} or {@code weighted} averages, as scikit-learn names them. */
  public Scores average(String kind) {
    switch (kind) {
      case "micro":
        {
          long tp = 0;
          long predicted = 0;
          long actual = 0;
          for (int k = 0; k < n(); k++) {
            tp += truePositives(k);
            predicted += predictedAs(k);
            actual += support(k);
          }
          return scores(tp, predicted, actual);
        }
      case "macro":
      case "weighted":
        {
          double p = 0;
          double r = 0;
          double f = 0;
          double weights = 0;
          for (int k = 0; k < n(); k++) {
            double w = kind.equals("macro") ? 1 : support(k);
            Scores s = perClass(k);
            p += w * s.precision();
            r += w * s.recall();
            f += w * s.f1();
            weights += w;
          }
          return weights == 0
              ? new Scores(zeroDivision, zeroDivision, zeroDivision)
              : new Scores(p / weights, r / weights, f / weights);
        }
      default:
        throw new IllegalArgumentException("no average named " + kind);
    }
  }

  private Scores scores(long tp, long predicted, long actual) {
    double precision = predicted == 0 ? zeroDivision : (double) tp / predicted;
    double recall = actual == 0 ? zeroDivision : (double) tp / actual;
    double denominator = precision + recall;
    double f1 = denominator == 0 ? 0 : 2 * precision * recall / denominator;
    return new Scores(precision, recall, f1);
  }

  /** Matthews' correlation coefficient (multiclass form); 0 when undefined. */
  public double matthews() {
    double samples = total();
    double correct = 0;
    double truePredicted = 0;
    double predictedSquared = 0;
    double trueSquared = 0;
    for (int k = 0; k < n(); k++) {
      correct += truePositives(k);
      truePredicted += (double) support(k) * predictedAs(k);
      predictedSquared += (double) predictedAs(k) * predictedAs(k);
      trueSquared += (double) support(k) * support(k);
    }
    double covariance = correct * samples - truePredicted;
    double predictedVariance = samples * samples - predictedSquared;
    double trueVariance = samples * samples - trueSquared;
    if (predictedVariance * trueVariance == 0) {
      return 0;
    }
    return covariance / Math.sqrt(trueVariance * predictedVariance);
  }

  /**
   * ROC AUC of binary labels against scores of class 1 (the Mann-Whitney statistic with ties
   * counted half); NaN when only one class occurs.
   */
  public static double rocAuc(int[] truth, double[] scores) {
    Integer[] order = new Integer[scores.length];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    java.util.Arrays.sort(order, (a, b) -> Double.compare(scores[a], scores[b]));
    double positiveRankSum = 0;
    long positives = 0;
    for (int start = 0; start < order.length; ) {
      int end = start;
      while (end < order.length && scores[order[end]] == scores[order[start]]) {
        end++;
      }
      double averageRank = (start + 1 + end) / 2.0;
      for (int i = start; i < end; i++) {
        if (truth[order[i]] == 1) {
          positiveRankSum += averageRank;
          positives++;
        }
      }
      start = end;
    }
    long negatives = scores.length - positives;
    if (positives == 0 || negatives == 0) {
      return Double.NaN;
    }
    return (positiveRankSum - positives * (positives + 1) / 2.0) / ((double) positives * negatives);
  }

  /** Every figure under Hugging Face-style names with {@code prefix} ({@code eval_}, ...). */
  public Map<String, Double> named(String prefix) {
    Map<String, Double> m = new LinkedHashMap<>();
    m.put(prefix + "accuracy", accuracy());
    for (String kind : new String[] {"weighted", "macro", "micro"}) {
      Scores s = average(kind);
      String suffix = kind.equals("weighted") ? "" : "_" + kind;
      m.put(prefix + "precision" + suffix, s.precision());
      m.put(prefix + "recall" + suffix, s.recall());
      m.put(prefix + "f1" + suffix, s.f1());
    }
    m.put(prefix + "mcc", matthews());
    return m;
  }
}
