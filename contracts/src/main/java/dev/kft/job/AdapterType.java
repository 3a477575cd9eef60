package dev.kft.job;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * Where bottleneck adapters sit: after the feed-forward block (Pfeiffer) or after both attention
 * and feed-forward blocks (Houlsby).
 */
public enum AdapterType implements SpecValue {
  PFEIFFER("pfeiffer"),
  HOULSBY("houlsby");

  private final String id;

  AdapterType(String id) {
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
