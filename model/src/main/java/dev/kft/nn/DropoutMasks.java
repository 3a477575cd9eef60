package dev.kft.nn;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.norm.Dropout;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The dropout of one training step: each call zeroes a fraction {@code rate} of its input's
 * elements and scales the rest by {@code 1 / (1 - rate)}, as PyTorch's {@code F.dropout} does.
 *
 * <p>On a CPU the mask comes from Java generators, not from the engine: libtorch 2.7.1's {@code
 * bernoulli_} fills a mask on one thread at about 15 ns an element, which made dropout a fifth of a
 * small model's training step. Here chunks of the mask fill in parallel, each from its own
 * generator split off in order from the step's seed, so a mask depends only on the seed and the
 * order of calls, never on the thread count. Elsewhere (a GPU) the engine's dropout runs, seeded by
 * the engine's random seed.
 */
public final class DropoutMasks {

  /** No dropout: what evaluation and inference pass. */
  public static final DropoutMasks NONE = new DropoutMasks(null);

  private final SplittableRandom calls;

  private DropoutMasks(SplittableRandom calls) {
    this.calls = calls;
  }

  /** Masks for one step (or one forward pass), drawn from {@code seed}. */
  public static DropoutMasks seeded(long seed) {
    return new DropoutMasks(new SplittableRandom(seed));
  }

  /** {@code x} with dropout at {@code rate} applied; {@code x} itself when inactive or rate 0. */
  public NDArray apply(NDArray x, double rate) {
    if (calls == null || rate <= 0) {
      return x;
    }
    if (x.getDataType() != DataType.FLOAT32 || !Device.cpu().equals(x.getDevice())) {
      return Dropout.dropout(x, (float) rate, true).singletonOrThrow();
    }
    NDArray mask = x.getManager().create(x.getShape(), DataType.FLOAT32);
    fill(mask.toByteBuffer(true).asFloatBuffer(), rate, calls.split());
    return x.mul(mask);
  }

  /**
   * Fills {@code mask} with 0 at probability {@code rate} and {@code 1 / (1 - rate)} elsewhere, one
   * generator per chunk split from {@code source} in chunk order.
   */
  static void fill(FloatBuffer mask, double rate, SplittableRandom source) {
    float keep = (float) (1.0 / (1.0 - rate));
    // nextInt() is uniform over all ints: below this bound with probability rate
    int bound = (int) Math.min(Integer.MAX_VALUE, Math.round(rate * 0x1p32 - 0x1p31));
    List<Runnable> chunks = new ArrayList<>();
    CpuWorkers.cut(
        mask.capacity(),
        (from, to) -> {
          SplittableRandom random = source.split();
          return () -> {
            for (int i = from; i < to; i++) {
              mask.put(i, random.nextInt() < bound ? 0f : keep);
            }
          };
        },
        chunks);
    CpuWorkers.run(chunks);
  }
}
