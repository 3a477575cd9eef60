package dev.kft.job;

/**
 * How batches are padded: to each batch's longest example, or every example to {@code max_length}.
 */
public enum Padding implements SpecValue {
  LONGEST,
  MAX_LENGTH;

  /** The name in a job spec, so that messages and reports read as the user wrote it. */
  @Override
  public String toString() {
    return id();
  }
}
