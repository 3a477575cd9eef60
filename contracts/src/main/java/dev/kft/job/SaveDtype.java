package dev.kft.job;

/**
 * The element type a registered version's exported weights are written in ({@code
 * training.save_dtype}); also the {@code torch_dtype} of its {@code config.json}. Training and
 * checkpoints are float32 whatever it is: the export rounds once, to the nearest value of the type.
 */
public enum SaveDtype implements SpecValue {
  FLOAT32,
  BFLOAT16,
  FLOAT16;

  /** The name in a job spec, so that messages and reports read as the user wrote it. */
  @Override
  public String toString() {
    return id();
  }
}
