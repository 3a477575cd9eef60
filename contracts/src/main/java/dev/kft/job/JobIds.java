package dev.kft.job;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The syntax of job ids. A job id keys the job's records on every topic and names its directories
 * in the artifact store, so it is a short string of a safe charset and never a path.
 */
public final class JobIds {

  /** The longest job id accepted. */
  public static final int MAX_LENGTH = 128;

  private static final Pattern SYNTAX = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");

  private JobIds() {}

  /** What is wrong with {@code id} as a job id, or empty when it is a valid one. */
  public static Optional<String> problem(String id) {
    if (id == null || id.isBlank()) {
      return Optional.of("is missing");
    }
    if (id.length() > MAX_LENGTH) {
      return Optional.of(
          "is " + id.length() + " characters long; at most " + MAX_LENGTH + " are allowed");
    }
    if (!SYNTAX.matcher(id).matches()) {
      return Optional.of(
          "must be letters, digits, '.', '_' or '-', starting with a letter or a digit");
    }
    return Optional.empty();
  }

  /**
   * Returns {@code id} when it is a valid job id.
   *
   * @throws IllegalArgumentException naming what is wrong
   */
  public static String checked(String id) {
    Optional<String> problem = problem(id);
    if (problem.isPresent()) {
      throw new IllegalArgumentException("job id " + quoted(id) + " " + problem.get());
    }
    return id;
  }

  /** The id in quotes, cut short when long, for messages. */
  public static String quoted(String id) {
    if (id == null) {
      return "null";
    }
    return "'" + (id.length() > 40 ? id.substring(0, 40) + "…" : id) + "'";
  }
}
