package dev.kft.nn;

import ai.djl.ndarray.NDArray;

/** Loss functions built only from array operations, so they are safe under autograd. */
public final class Losses {

  private Losses() {}

  /**
   * Mean softmax cross-entropy of {@code logits [batch, classes]} against int64 {@code labels
   * [batch]}, as PyTorch's {@code F.cross_entropy} with mean reduction computes it.
   */
  public static NDArray crossEntropy(NDArray logits, NDArray labels) {
    int classes = (int) logits.getShape().get(1);
    NDArray picked =
        logits.logSoftmax(-1).mul(labels.oneHot(classes).toType(logits.getDataType(), false));
    return picked.sum(new int[] {1}).mean().neg();
  }
}
