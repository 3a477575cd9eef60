package dev.kft.job;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * How prompt tuning initialises its virtual tokens, as PEFT's {@code PromptTuningInit}: randomly or
 * from the embeddings of a text.
 */
public enum PromptTuningInit implements SpecValue {
  RANDOM("RANDOM"),
  TEXT("TEXT");

  private final String id;

  PromptTuningInit(String id) {
    this.id = id;
  }

  @JsonValue
  @Override
  public String id() {
    return id;
  }

  /** The name in a job spec, so that messages and reports read as the user wrote it. */
  @Override
  public String toString() {
    return id;
  }
}
