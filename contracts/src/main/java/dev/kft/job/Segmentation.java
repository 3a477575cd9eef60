package dev.kft.job;

/**
 * How augmentation splits text into words: by the script of the text ({@code auto}), per character,
 * or at whitespace.
 */
public enum Segmentation implements SpecValue {
  AUTO,
  CHAR,
  WHITESPACE;

  /** The name in a job spec, so that messages and reports read as the user wrote it. */
  @Override
  public String toString() {
    return id();
  }
}
