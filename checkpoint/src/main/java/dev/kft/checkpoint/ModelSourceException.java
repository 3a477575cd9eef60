package dev.kft.checkpoint;

/** Thrown when a model source cannot be resolved to usable files; the message says why. */
public class ModelSourceException extends RuntimeException {

  public ModelSourceException(String message) {
    super(message);
  }
}
