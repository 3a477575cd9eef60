package dev.kft.job;

/**
 * Where a job's starting weights come from: the model source's pretrained weights, or random
 * initialisation from its config.
 */
public enum ModelInit implements SpecValue {
  PRETRAINED,
  RANDOM;

  /** The name in a job spec, so that messages and reports read as the user wrote it. */
  @Override
  public String toString() {
    return id();
  }
}
