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
  BFLOAT16;

  /** The name events and reports use: {@code float32} or {@code bf16} (the job spec's key). */
  public String id() {
    return this == BFLOAT16 ? "bf16" : "float32";
  }
}
