package dev.kft.job;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * Where a job's starting weights come from: the model source's pretrained weights, or random
 * initialisation from its config.
 */
public enum ModelInit implements SpecValue {
  PRETRAINED("pretrained"),
  RANDOM("random");

  private final String id;

  ModelInit(String id) {
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
