package dev.kft.job;

import com.fasterxml.jackson.core.JsonLocation;

/** Thrown when a job spec's text is not YAML or JSON at all; says where reading stopped. */
public class SpecSyntaxException extends RuntimeException {

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
  }
}
