package dev.kft.job;

/**
 * One thing wrong with a job spec.
 *
 * @param path where in the spec, dotted with list indexes ({@code training.learning_rate}, {@code
 *     registry.approval[0]}); empty for the spec as a whole
 * @param message what is wrong and, where it helps, what was found
 */
public record Problem(String path, String message) {

  @Override
  public String toString() {
    return path.isEmpty() ? message : path + ": " + message;
  }
}
