package dev.kft.job;

import com.fasterxml.jackson.core.JsonLocation;

/** Thrown when a job spec's text is not YAML or JSON at all; says where reading stopped. */
public class SpecSyntaxException extends RuntimeException {

  private final int line;

  public SpecSyntaxException(String message, JsonLocation location) {
    super(
        location == null
            ? message
            : "line "
                + location.getLineNr()
                + ", column "
                + location.getColumnNr()
                + ": "
                + message);
    this.line = location == null ? 0 : location.getLineNr();
  }

  /** The line where reading stopped, from 1; 0 when unknown. */
  public int line() {
    return line;
  }
}
