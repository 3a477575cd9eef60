package dev.kft.job;

import java.util.List;
import java.util.stream.Collectors;

/**
 * The outcome of checking a job spec: the bound spec with its defaults when there are no problems,
 * otherwise every problem found; and warnings, which do not stop a job (a deprecated name read as
 * its current one, an argument without effect in kft).
 */
public record ValidatedSpec(JobSpec spec, List<Problem> problems, List<Problem> warnings) {

  public ValidatedSpec {
    problems = List.copyOf(problems);
    warnings = List.copyOf(warnings);
  }

  public boolean valid() {
    return problems.isEmpty();
  }

  /** One line per problem, for people. */
  public String describeProblems() {
    return problems.stream().map(Problem::toString).collect(Collectors.joining("\n"));
  }
}
