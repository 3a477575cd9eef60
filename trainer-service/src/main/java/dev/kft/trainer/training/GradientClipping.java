package dev.kft.trainer.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import java.util.Collection;

/**
 * Clipping by the global L2 norm of all gradients, as {@code torch.nn.utils.clip_grad_norm_} does:
 * every gradient is scaled by {@code min(1, maxNorm / (norm + 1e-6))}. The scaling itself is left
 * to {@link AdamW#step}, which reads each gradient once anyway.
 */
public final class GradientClipping {

  private GradientClipping() {}

  /** The global L2 norm of the gradients of {@code parameters}: the norm of their norms. */
  public static double norm(Collection<NDArray> parameters, NDManager scratch) {
    NDList norms = new NDList();
    for (NDArray p : parameters) {
      NDArray g = p.getGradient();
      scratch.attachAll(g);
      norms.add(g.norm());
    }
    return NDArrays.stack(norms).norm().getFloat();
  }

  /** The factor for the gradients: 1 when {@code maxNorm} is off (≤ 0) or not exceeded. */
  public static double scale(double norm, double maxNorm) {
    return maxNorm > 0 ? Math.min(1.0, maxNorm / (norm + 1e-6)) : 1.0;
  }
}
