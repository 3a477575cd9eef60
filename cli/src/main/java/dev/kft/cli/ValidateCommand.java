package dev.kft.cli;

import dev.kft.job.JobSpec;
import dev.kft.json.Json;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code kft validate JOB.yaml}: checks a job spec as the pipeline would, with no stack running (no
 * Kafka, no registry); {@code --print} shows it with every default filled in.
 */
@Command(
    name = "validate",
    description = "Check a job spec offline; exit 0 when valid, 2 with its problems.")
final class ValidateCommand implements Callable<Integer> {

  @Parameters(paramLabel = "JOB.yaml", description = "the job spec (YAML or JSON)")
  Path file;

  @Option(
      names = "--set",
      paramLabel = "KEY=VALUE",
      description = "override one setting first, as kft submit --set does (repeatable)")
  List<String> overrides = List.of();

  @Option(names = "--print", description = "print the spec with every default filled in (YAML)")
  boolean print;

  @Override
  public Integer call() throws Exception {
    Optional<SpecFile> spec = SpecFile.read(file, overrides, System.err);
    if (spec.isEmpty()) {
      return SubmitCommand.INVALID;
    }
    JobSpec s = spec.get().checked().spec();
    if (print) {
      System.out.print(Json.yaml().writeValueAsString(s));
    } else {
      System.out.println(
          file
              + ": valid ("
              + s.method().type().id()
              + " fine-tuning of "
              + s.model().source()
              + ", "
              + spec.get().checked().warnings().size()
              + " warning(s))");
    }
    return 0;
  }
}
