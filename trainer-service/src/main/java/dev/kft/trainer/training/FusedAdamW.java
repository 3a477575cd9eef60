package dev.kft.trainer.training;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import dev.kft.nn.CpuWorkers;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * AdamW's whole update for float32 tensors in CPU memory, done in one pass over each tensor's
 * memory: gradient scaling (clipping), decoupled weight decay, both moments, the parameter update,
 * and the gradient reset, element by element. PyTorch's single-tensor AdamW makes about ten passes
 * with two temporaries per tensor, and op-by-op updates through DJL more; on a CPU the update is
 * bound by memory traffic, so one pass is what makes the optimizer cheap. Chunks of tensors run in
 * parallel on {@link CpuWorkers}; the result does not depend on the thread count.
 */
final class FusedAdamW {

  /**
   * The scalars of one step, as PyTorch computes them: {@code p·decay - stepSize·m / (√v / c2 +
   * eps)}.
   */
  record Coefficients(
      float gradientScale,
      float decay,
      float beta1,
      float oneMinusBeta1,
      float beta2,
      float oneMinusBeta2,
      float sqrtCorrection2,
      float epsilon,
      float stepSize) {}

  /** One tensor's memory: parameter, gradient, moments; whether it takes weight decay. */
  record Slot(FloatBuffer p, FloatBuffer g, FloatBuffer m, FloatBuffer v, boolean decays) {}

  private FusedAdamW() {}

  /** Whether every array is float32 in CPU memory, so its buffer is the tensor's own memory. */
  static boolean supports(Collection<NDArray> arrays) {
    return arrays.stream()
        .allMatch(a -> a.getDataType() == DataType.FLOAT32 && Device.cpu().equals(a.getDevice()));
  }

  /** The array's own memory (not a copy) as floats; arrays here are dense and contiguous. */
  static FloatBuffer memory(NDArray array) {
    return array.toByteBuffer(true).asFloatBuffer();
  }

  /** Updates every slot in place and leaves its gradient at zero. */
  static void update(List<Slot> slots, Coefficients c) {
    List<Runnable> chunks = new ArrayList<>();
    for (Slot slot : slots) {
      CpuWorkers.cut(slot.p().capacity(), (from, to) -> () -> update(slot, c, from, to), chunks);
    }
    CpuWorkers.run(chunks);
  }

  private static void update(Slot s, Coefficients c, int from, int to) {
    FloatBuffer p = s.p();
    FloatBuffer g = s.g();
    FloatBuffer m = s.m();
    FloatBuffer v = s.v();
    float decay = s.decays() ? c.decay() : 1f;
    for (int i = from; i < to; i++) {
      float grad = g.get(i) * c.gradientScale();
      float first = m.get(i) * c.beta1() + c.oneMinusBeta1() * grad;
      float second = v.get(i) * c.beta2() + c.oneMinusBeta2() * grad * grad;
      float denominator = (float) Math.sqrt(second) / c.sqrtCorrection2() + c.epsilon();
      p.put(i, p.get(i) * decay - c.stepSize() * (first / denominator));
      m.put(i, first);
      v.put(i, second);
      g.put(i, 0f);
    }
  }
}
