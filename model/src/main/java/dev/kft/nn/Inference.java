package dev.kft.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.kft.batch.TokenizedBatch;

/**
 * Runs a classifier over tokenized batches without gradients or dropout, in chunks of at most
 * {@code maxRows} rows, each in its own manager so memory stays bounded.
 */
public final class Inference {

  /**
   * Per-row results of one batch.
   *
   * @param logits {@code [rows][labels]}
   * @param probabilities softmax of the logits
   */
  public record Result(float[][] logits, float[][] probabilities) {}

  private final BertClassifier model;
  private final int maxRows;

  public Inference(BertClassifier model, int maxRows) {
    if (maxRows < 1) {
      throw new IllegalArgumentException("maxRows must be >= 1, got " + maxRows);
    }
    this.model = model;
    this.maxRows = maxRows;
  }

  public Result run(TokenizedBatch batch) {
    int labels = model.config().labels().size();
    float[][] logits = new float[batch.rows()][];
    float[][] probabilities = new float[batch.rows()][];
    for (int start = 0; start < batch.rows(); start += maxRows) {
      TokenizedBatch chunk = Batches.rows(batch, start, Math.min(batch.rows(), start + maxRows));
      try (NoGrad noGrad = NoGrad.enter();
          NDManager step = model.manager().newSubManager()) {
        NDArray out = model.forward(ModelInputs.of(step, chunk), DropoutMasks.NONE).logits();
        float[] flatLogits = out.toFloatArray();
        float[] flatProbs = out.softmax(-1).toFloatArray();
        for (int r = 0; r < chunk.rows(); r++) {
          logits[start + r] =
              java.util.Arrays.copyOfRange(flatLogits, r * labels, (r + 1) * labels);
          probabilities[start + r] =
              java.util.Arrays.copyOfRange(flatProbs, r * labels, (r + 1) * labels);
        }
      }
    }
    return new Result(logits, probabilities);
  }
}
