package dev.kft.checkpoint;

import java.nio.ByteBuffer;
import java.nio.file.Path;

/** The safetensors element types kft reads and writes: widening to F32, and rounding from it. */
final class Dtype {

  private Dtype() {}

  static int bytes(String dtype, Path file, String tensor) {
    switch (dtype) {
      case "F32":
        return 4;
      case "F16":
      case "BF16":
        return 2;
      default:
        throw new SafeTensorsException(
            file
                + ": tensor "
                + tensor
                + " has dtype "
                + dtype
                + "; kft reads F32, F16 and BF16 weights");
    }
  }

  static void decode(String dtype, ByteBuffer in, float[] out) {
    switch (dtype) {
      case "F32" -> in.asFloatBuffer().get(out);
      case "BF16" -> {
        for (int i = 0; i < out.length; i++) {
          out[i] = Float.intBitsToFloat((in.getShort() & 0xFFFF) << 16);
        }
      }
      case "F16" -> {
        for (int i = 0; i < out.length; i++) {
          out[i] = halfToFloat(in.getShort());
        }
      }
      default -> throw new IllegalArgumentException(dtype);
    }
  }

  /**
   * Writes {@code values} to {@code out} as {@code dtype}, each rounded to the nearest value of the
   * type (ties to even, as PyTorch's casts); float16 overflows to infinity beyond 65504.
   */
  static void encode(String dtype, float[] values, int from, int count, ByteBuffer out) {
    switch (dtype) {
      case "F32" -> {
        for (int i = from; i < from + count; i++) {
          out.putFloat(values[i]);
        }
      }
      case "BF16" -> {
        for (int i = from; i < from + count; i++) {
          out.putShort(floatToBfloat16(values[i]));
        }
      }
      case "F16" -> {
        for (int i = from; i < from + count; i++) {
          out.putShort(floatToHalf(values[i]));
        }
      }
      default -> throw new IllegalArgumentException("kft writes F32, BF16 and F16, not " + dtype);
    }
  }

  /** binary32 to bfloat16, rounding to nearest even; NaN stays a (quiet) NaN. */
  static short floatToBfloat16(float value) {
    int bits = Float.floatToRawIntBits(value);
    if (Float.isNaN(value)) {
      return (short) 0x7FC0;
    }
    int bias = 0x7FFF + ((bits >>> 16) & 1);
    return (short) ((bits + bias) >>> 16);
  }

  /** binary32 to IEEE 754 binary16, rounding to nearest even (subnormals included). */
  static short floatToHalf(float value) {
    int bits = Float.floatToRawIntBits(value);
    int sign = (bits >>> 16) & 0x8000;
    int magnitude = bits & 0x7FFFFFFF;
    if (magnitude >= 0x7F800000) {
      return (short) (sign | 0x7C00 | (magnitude > 0x7F800000 ? 0x200 : 0));
    }
    if (magnitude >= 0x477FF000) {
      // 65520 and above round past binary16's largest finite value, 65504
      return (short) (sign | 0x7C00);
    }
    if (magnitude < 0x38800000) {
      // below binary16's smallest normal (2^-14): a multiple of 2^-24, exact in double
      int units = (int) Math.rint((double) Float.intBitsToFloat(magnitude) * 0x1p24);
      return (short) (sign | units);
    }
    int half = ((((magnitude >>> 23) - 112) << 10) | ((magnitude >>> 13) & 0x3FF));
    int rest = magnitude & 0x1FFF;
    if (rest > 0x1000 || (rest == 0x1000 && (half & 1) == 1)) {
      half++;
    }
    return (short) (sign | half);
  }

  /** IEEE 754 binary16 to binary32, exactly (subnormals, infinities and NaN included). */
  static float halfToFloat(short half) {
    int bits = half & 0xFFFF;
    int sign = (bits & 0x8000) << 16;
    int exponent = (bits >>> 10) & 0x1F;
    int mantissa = bits & 0x3FF;
    if (exponent == 0x1F) {
      return Float.intBitsToFloat(sign | 0x7F800000 | (mantissa << 13));
    }
    if (exponent == 0) {
      float value = mantissa * 0x1p-24f;
      return sign == 0 ? value : -value;
    }
    return Float.intBitsToFloat(sign | ((exponent + 112) << 23) | (mantissa << 13));
  }
}
