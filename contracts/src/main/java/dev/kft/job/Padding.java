package dev.kft.job;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * How batches are padded: to each batch's longest example, or every example to {@code max_length}.
 */
public enum Padding implements SpecValue {
  LONGEST("longest"),
  MAX_LENGTH("max_length");

  private final String id;

  Padding(String id) {
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
