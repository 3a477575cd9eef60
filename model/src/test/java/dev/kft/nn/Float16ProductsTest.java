package dev.kft.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The float16 products (fp16 training's linear layers and attention products) round their operands
 * and their result to float16: each output is a float16 value within one float16 step of the exact
 * product of the rounded operands, computed here in double. A float32 product would fail the first
 * check, a product of unrounded operands the second.
 */
@Tag("unit")
class Float16ProductsTest {

  private static final int ROWS = 6;
  private static final int IN = 40;
  private static final int OUT = 5;

  @Test
  void aLinearLayerComputesInFloat16() {
    Random random = new Random(4);
    float[] x = values(random, ROWS * IN);
    float[] w = values(random, OUT * IN);
    float[] b = values(random, OUT);
    float[] ours;
    try (NDManager manager = NDManager.newBaseManager()) {
      NDArray result =
          MatrixProducts.of(Precision.FLOAT16)
              .linear(
                  manager.create(x, new Shape(ROWS, IN)),
                  manager.create(w, new Shape(OUT, IN)),
                  manager.create(b));
      assertEquals(new Shape(ROWS, OUT), result.getShape());
      ours = result.toFloatArray();
    }
    for (int r = 0; r < ROWS; r++) {
      for (int o = 0; o < OUT; o++) {
        double exact = half(b[o]);
        for (int i = 0; i < IN; i++) {
          exact += (double) half(x[r * IN + i]) * half(w[o * IN + i]);
        }
        float got = ours[r * OUT + o];
        assertTrue(isHalf(got), got + " is not a float16 value");
        assertTrue(
            Math.abs(got - exact) <= halfStep(exact),
            "row " + r + " output " + o + ": " + got + " against " + exact);
      }
    }
  }

  private static float[] values(Random random, int n) {
    float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      v[i] = (float) random.nextGaussian();
    }
    return v;
  }

  /** {@code v} rounded to float16's 11 significant bits (normal range), ties to even. */
  private static float half(float v) {
    return (float)
        Math.scalb(
            Math.rint(Math.scalb((double) v, 10 - Math.getExponent(v))), Math.getExponent(v) - 10);
  }

  /** Whether {@code v} has no more than float16's 11 significant bits. */
  private static boolean isHalf(float v) {
    return v == 0 || (Float.floatToIntBits(v) & 0x1FFF) == 0;
  }

  /** The distance between neighbouring float16 values around {@code v}. */
  private static double halfStep(double v) {
    return Math.scalb(1.0, Math.getExponent(v) - 10);
  }
}
