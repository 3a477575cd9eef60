package dev.kft.inference.domain;

/** A model, version or alias the registry has not announced. */
public class UnknownModelException extends RuntimeException {

  public UnknownModelException(String message) {
    super(message);
  }
}
