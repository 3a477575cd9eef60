package dev.kft.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Dropout with Java-drawn masks behaves as {@code F.dropout}: a binomial share of zeros, the rest
 * scaled by {@code 1 / (1 - p)}, gradients through the same mask; and masks follow only the seed.
 */
@Tag("unit")
class DropoutMasksTest {

  private static final int SIZE = 1 << 20;

  @ParameterizedTest
  @ValueSource(doubles = {0.1, 0.5})
  void dropsABinomialShareAndScalesTheRest(double rate) {
    try (NDManager manager = NDManager.newBaseManager()) {
      NDArray x = manager.ones(new Shape(64, 128, 128));
      float[] out = DropoutMasks.seeded(7).apply(x, rate).toFloatArray();
      long zeros = 0;
      for (float v : out) {
        if (v == 0f) {
          zeros++;
        } else {
          assertEquals((float) (1 / (1 - rate)), v);
        }
      }
      // the number of zeros is Binomial(n, p): within 5 standard deviations of n·p
      double sd = Math.sqrt(out.length * rate * (1 - rate));
      assertTrue(Math.abs(zeros - out.length * rate) < 5 * sd, zeros + " zeros of " + out.length);
    }
  }

  @Test
  void gradientFlowsThroughTheSameMask() {
    try (NDManager manager = NDManager.newBaseManager()) {
      NDArray x = manager.randomUniform(1f, 2f, new Shape(32, 100));
      x.setRequiresGradient(true);
      float[] y;
      try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
        NDArray out = DropoutMasks.seeded(3).apply(x, 0.25);
        y = out.toFloatArray();
        collector.backward(out.sum());
      }
      float[] in = x.toFloatArray();
      float[] gradient = x.getGradient().toFloatArray();
      for (int i = 0; i < y.length; i++) {
        // d(sum)/dx is the mask itself: 0 where dropped, 1 / (1 - p) where kept
        assertEquals(y[i] == 0f ? 0f : 1f / 0.75f, gradient[i], 1e-6f);
        assertEquals(y[i] == 0f ? 0f : in[i] / 0.75f, y[i], 1e-6f);
      }
    }
  }

  @Test
  void masksFollowTheSeedAndCallOrderOnly() {
    float[] parallel = fill(new SplittableRandom(11), false);
    float[] serial = fill(new SplittableRandom(11), true);
    assertArrayEquals(parallel, serial, "same masks whatever runs the chunks");
    try (NDManager manager = NDManager.newBaseManager()) {
      NDArray x = manager.ones(new Shape(SIZE));
      DropoutMasks first = DropoutMasks.seeded(5);
      DropoutMasks again = DropoutMasks.seeded(5);
      float[] a1 = first.apply(x, 0.1).toFloatArray();
      float[] a2 = first.apply(x, 0.1).toFloatArray();
      assertArrayEquals(a1, again.apply(x, 0.1).toFloatArray());
      assertArrayEquals(a2, again.apply(x, 0.1).toFloatArray());
      assertFalse(Arrays.equals(a1, a2), "each call draws a new mask");
      assertFalse(Arrays.equals(a1, DropoutMasks.seeded(6).apply(x, 0.1).toFloatArray()));
    }
  }

  @Test
  void noneAndRateZeroLeaveTheInput() {
    try (NDManager manager = NDManager.newBaseManager()) {
      NDArray x = manager.ones(new Shape(4, 4));
      assertSame(x, DropoutMasks.NONE.apply(x, 0.5));
      assertSame(x, DropoutMasks.seeded(1).apply(x, 0));
    }
  }

  /**
   * One mask of SIZE elements: filled by the workers, or computed here on one thread as the class
   * documents it (one generator per chunk, split from the source in chunk order).
   */
  private static float[] fill(SplittableRandom source, boolean serial) {
    FloatBuffer mask = FloatBuffer.allocate(SIZE);
    if (!serial) {
      DropoutMasks.fill(mask, 0.1, source);
      return mask.array();
    }
    int bound = (int) Math.round(0.1 * 0x1p32 - 0x1p31);
    for (int from = 0; from < SIZE; from += CpuWorkers.CHUNK) {
      SplittableRandom random = source.split();
      for (int i = from; i < Math.min(SIZE, from + CpuWorkers.CHUNK); i++) {
        mask.put(i, random.nextInt() < bound ? 0f : (float) (1 / 0.9));
      }
    }
    return mask.array();
  }
}
