package dev.kft.job;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * How augmentation splits text into words: by the script of the text ({@code auto}), per character,
 * or at whitespace.
 */
public enum Segmentation implements SpecValue {
  AUTO("auto"),
  CHAR("char"),
  WHITESPACE("whitespace");

  private final String id;

  Segmentation(String id) {
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
