package dev.kft.checkpoint;

/** Thrown when a model cannot be had from the Hugging Face hub or its cache. */
public class HubException extends RuntimeException {

  public HubException(String message) {
    super(message);
  }
}
