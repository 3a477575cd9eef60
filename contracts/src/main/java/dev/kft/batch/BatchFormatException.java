package dev.kft.batch;

/**
 * Thrown when bytes are not a valid encoded {@link TokenizedBatch}: truncated, corrupt, unknown.
 */
public class BatchFormatException extends RuntimeException {

  public BatchFormatException(String message) {
    super(message);
  }
}
