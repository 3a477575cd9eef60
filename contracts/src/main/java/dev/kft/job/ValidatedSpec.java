package dev.kft.job;

import java.util.List;
import java.util.stream.Collectors;

/**
 * The outcome of checking a job spec: the bound spec with its defaults when there are no problems,
 * otherwise every problem found.
 */
public record ValidatedSpec(JobSpec spec, List<Problem> problems) {

  public ValidatedSpec {
    problems = List.copyOf(problems);
  }

  public boolean valid() {
    return problems.isEmpty();
  }

  /** One line per problem, for people. */
  public String describeProblems() {
    return problems.stream().map(Problem::toString).collect(Collectors.joining("\n"));
  }
}
