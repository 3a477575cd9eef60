package dev.kft.checkpoint;

import java.util.Arrays;

/**
 * A named tensor's shape and values in Java memory, row-major, as read from or written to a
 * safetensors file.
 *
 * @param shape the dimensions; empty for a scalar
 * @param values the values, as many as the shape's product
 */
public record TensorData(long[] shape, float[] values) {

  public TensorData {
    long size = elementCount(shape);
    if (size != values.length) {
      throw new IllegalArgumentException(
          "shape " + Arrays.toString(shape) + " needs " + size + " values, got " + values.length);
    }
  }

  /** The product of the dimensions. */
  public static long elementCount(long[] shape) {
    long n = 1;
    for (long d : shape) {
      if (d < 0) {
        throw new IllegalArgumentException("negative dimension in " + Arrays.toString(shape));
      }
      n = Math.multiplyExact(n, d);
    }
    return n;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TensorData t
        && Arrays.equals(shape, t.shape)
        && Arrays.equals(values, t.values);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(shape) + Arrays.hashCode(values);
  }

  @Override
  public String toString() {
    return "TensorData" + Arrays.toString(shape);
  }
}
