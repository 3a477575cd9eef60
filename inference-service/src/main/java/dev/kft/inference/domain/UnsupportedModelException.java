package dev.kft.inference.domain;

/** A registered version this service cannot serve, with why. */
public class UnsupportedModelException extends RuntimeException {

  public UnsupportedModelException(String message) {
    super(message);
  }
}
