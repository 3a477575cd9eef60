package dev.kft.nn;

/**
 * The type a model's matrix products run in. Parameters, optimizer state and every other operation
 * stay float32 either way.
 */
public enum Precision {
  /** Everything in float32. */
  FLOAT32,
  /**
   * Linear layers and attention's batched products on bfloat16 copies of their operands, results
   * back in float32: the operations PyTorch's autocast lowers; layer norms, softmax, activations,
   * losses and reductions stay float32.
   */
  BFLOAT16,
  /**
   * The same products on float16 copies, for a GPU; training in it needs loss scaling, since
   * float16's range ends at 65504 and small gradients vanish below 6e-8.
   */
  FLOAT16;

  /**
   * The name events and reports use: {@code float32}, {@code bf16} or {@code fp16} (the job spec's
   * keys).
   */
  public String id() {
    return switch (this) {
      case FLOAT32 -> "float32";
      case BFLOAT16 -> "bf16";
      case FLOAT16 -> "fp16";
    };
  }
}
