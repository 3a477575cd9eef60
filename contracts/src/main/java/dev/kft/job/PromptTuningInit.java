package dev.kft.job;

/**
 * How prompt tuning initialises its virtual tokens, as PEFT's {@code PromptTuningInit}: randomly or
 * from the embeddings of a text.
 */
public enum PromptTuningInit implements SpecValue {
  RANDOM,
  TEXT;

  /** PEFT writes these names in capitals. */
  @Override
  public String id() {
    return name();
  }

  /** The name in a job spec, so that messages and reports read as the user wrote it. */
  @Override
  public String toString() {
    return id();
  }
}
