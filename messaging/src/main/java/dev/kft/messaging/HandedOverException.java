package dev.kft.messaging;

/**
 * The partition of the record in hand was taken away by a rebalance: its work was handed over and
 * its offset must not be committed here; the partition's new owner reads the record again.
 */
public class HandedOverException extends RuntimeException {

  public HandedOverException(String message) {
    super(message);
  }
}
