package dev.kft.trainer.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import java.util.Collection;

/**
 * Clips gradients by their global L2 norm as {@code torch.nn.utils.clip_grad_norm_} does: every
 * gradient is scaled by {@code min(1, maxNorm / (norm + 1e-6))}.
 */
public final class GradientClipping {

  private GradientClipping() {}

  /**
   * Clips the gradients of {@code parameters} in place when {@code maxNorm > 0}.
   *
   * @return the global norm before clipping
   */
  public static double clip(Collection<NDArray> parameters, double maxNorm, NDManager scratch) {
    NDList squares = new NDList();
    NDList gradients = new NDList();
    for (NDArray p : parameters) {
      NDArray g = p.getGradient();
      scratch.attachAll(g);
      gradients.add(g);
      squares.add(g.square().sum());
    }
    double norm = Math.sqrt(NDArrays.stack(squares).sum().getFloat());
    if (maxNorm > 0) {
      double coefficient = Math.min(1.0, maxNorm / (norm + 1e-6));
      if (coefficient < 1.0) {
        NDArray scale = scratch.create((float) coefficient);
        gradients.forEach(g -> g.muli(scale));
      }
    }
    return norm;
  }

  /** Sets every gradient to zero, after an optimizer step. */
  public static void zero(Collection<NDArray> parameters, NDManager scratch) {
    for (NDArray p : parameters) {
      NDArray g = p.getGradient();
      scratch.attachAll(g);
      g.subi(g);
    }
  }
}
