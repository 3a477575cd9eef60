package dev.kft.job;

/**
 * Where bottleneck adapters sit: after the feed-forward block (Pfeiffer) or after both attention
 * and feed-forward blocks (Houlsby).
 */
public enum AdapterType implements SpecValue {
  PFEIFFER,
  HOULSBY;

  /** The name in a job spec, so that messages and reports read as the user wrote it. */
  @Override
  public String toString() {
    return id();
  }
}
