package dev.kft.checkpoint;

import java.nio.ByteBuffer;
import java.nio.file.Path;

/** The safetensors element types kft reads, and their widening to F32. */
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
