package dev.kft.messaging;

/** A record no retry can help (not a kft event, for one); it goes to its dead-letter topic. */
public class PoisonRecordException extends RuntimeException {

  public PoisonRecordException(String message) {
    super(message);
  }
}
