package dev.kft.job;

import com.fasterxml.jackson.annotation.JsonValue;

/** How a job fine-tunes: every parameter, or one of the PEFT methods. */
public enum MethodType implements SpecValue {
  FULL("full"),
  LORA("lora"),
  ADAPTER("adapter"),
  PROMPT_TUNING("prompt_tuning");

  private final String id;

  MethodType(String id) {
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
