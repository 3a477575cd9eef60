package dev.kft.dataprep.domain;

/**
 * A problem with a job's data that its author must fix (empty file, missing column, one class only,
 * ...); the message says what and where.
 */
public class DataProblem extends RuntimeException {

  public DataProblem(String message) {
    super(message);
  }
}
