package dev.kft.io;

/** Thrown when a job names a path that does not exist or lies outside the configured roots. */
public class PathNotAllowedException extends RuntimeException {

  public PathNotAllowedException(String message) {
    super(message);
  }
}
