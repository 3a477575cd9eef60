package dev.kft.evaluator.domain;

import dev.kft.batch.TokenizedBatch;
import dev.kft.nn.BertClassifier;
import dev.kft.nn.Inference;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs a classifier over one split without gradients and reports Hugging Face-named metrics: the
 * mean cross-entropy ({@code <prefix>loss}, as {@code Trainer.evaluate} averages it over examples),
 * every {@link ClassificationMetrics} figure, per-class precision / recall / F1 / support under the
 * label's name and, for two labels, ROC AUC of the positive (second) label's probability.
 */
public final class SplitEvaluation {

  /**
   * What one split showed.
   *
   * @param metrics figures by name, in a stable order
   * @param confusion {@code counts[true][predicted]}
   * @param samples examples evaluated
   */
  public record Result(
      Map<String, Double> metrics, long[][] confusion, long samples, List<Row> rows) {}

  /**
   * One example's prediction.
   *
   * @param rowId the example's row in the source data (negative: made by augmentation)
   * @param ids its tokens, without padding
   * @param probabilities per label
   */
  public record Row(int rowId, int[] ids, int truth, int predicted, float[] probabilities) {}

  private SplitEvaluation() {}

  /**
   * @param prefix {@code eval_} or {@code test_}
   * @param batchSize most rows run through the model at once
   * @param keepRows keep each example's prediction in the result
   */
  public static Result run(
      BertClassifier model,
      List<TokenizedBatch> batches,
      List<String> labelNames,
      String prefix,
      int batchSize,
      boolean keepRows) {
    int n = batches.stream().mapToInt(TokenizedBatch::rows).sum();
    if (n == 0) {
      throw new IllegalArgumentException("the split has no examples to evaluate");
    }
    int[] truth = new int[n];
    int[] predicted = new int[n];
    double[] positive = new double[n];
    double lossSum = 0;
    Inference inference = new Inference(model, batchSize);
    List<Row> rows = new ArrayList<>();
    int i = 0;
    for (TokenizedBatch batch : batches) {
      Inference.Result out = inference.run(batch);
      for (int r = 0; r < batch.rows(); r++, i++) {
        truth[i] = batch.labels()[r];
        predicted[i] = argmax(out.logits()[r]);
        positive[i] = labelNames.size() == 2 ? out.probabilities()[r][1] : 0;
        lossSum += crossEntropy(out.logits()[r], truth[i]);
        if (keepRows) {
          rows.add(
              new Row(
                  batch.rowIds()[r],
                  tokens(batch, r),
                  truth[i],
                  predicted[i],
                  out.probabilities()[r]));
        }
      }
    }
    ClassificationMetrics m = ClassificationMetrics.of(truth, predicted, labelNames.size(), 0.0);
    Map<String, Double> metrics = new LinkedHashMap<>();
    metrics.put(prefix + "loss", lossSum / n);
    metrics.putAll(m.named(prefix));
    if (labelNames.size() == 2) {
      double auc = ClassificationMetrics.rocAuc(truth, positive);
      if (!Double.isNaN(auc)) {
        metrics.put(prefix + "roc_auc", auc);
      }
    }
    for (int k = 0; k < labelNames.size(); k++) {
      ClassificationMetrics.Scores s = m.perClass(k);
      String label = labelNames.get(k);
      metrics.put(prefix + "precision_" + label, s.precision());
      metrics.put(prefix + "recall_" + label, s.recall());
      metrics.put(prefix + "f1_" + label, s.f1());
      metrics.put(prefix + "support_" + label, (double) m.support(k));
    }
    return new Result(metrics, m.confusion(), n, rows);
  }

  /** Row {@code r}'s tokens, without padding. */
  private static int[] tokens(TokenizedBatch batch, int r) {
    int from = r * batch.sequenceLength();
    int length = 0;
    while (length < batch.sequenceLength() && batch.attentionMask()[from + length] == 1) {
      length++;
    }
    return Arrays.copyOfRange(batch.inputIds(), from, from + length);
  }

  static int argmax(float[] values) {
    int best = 0;
    for (int k = 1; k < values.length; k++) {
      if (values[k] > values[best]) {
        best = k;
      }
    }
    return best;
  }

  /** {@code -log softmax(logits)[label]}, in double, shifted by the maximum for stability. */
  static double crossEntropy(float[] logits, int label) {
    double max = Double.NEGATIVE_INFINITY;
    for (float v : logits) {
      max = Math.max(max, v);
    }
    double sum = 0;
    for (float v : logits) {
      sum += Math.exp(v - max);
    }
    return max + Math.log(sum) - logits[label];
  }
}
