package dev.kft.batch;

import java.util.Locale;

/** The part of a dataset a batch belongs to. */
public enum Split {
  TRAIN,
  VALIDATION,
  TEST;

  /** The lower-case name used in job specs and reports ({@code train}, ...). */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
