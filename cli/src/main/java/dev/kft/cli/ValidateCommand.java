package dev.kft.cli;

import dev.kft.job.JobSpec;
import dev.kft.json.Json;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code kft validate JOB.yaml}: checks a job spec as the pipeline would, with no stack running (no
 * Kafka, no registry); {@code --print} shows it with every default filled in.
 */
@Command(
    name = "validate",
    description = "Check a job spec offline; exit 0 when valid, 2 with its problems.")
final class ValidateCommand implements Callable<Integer> {

  @Mixin SpecFile.Arguments arguments;

  @Option(names = "--print", description = "print the spec with every default filled in (YAML)")
  boolean print;

  @Override
  public Integer call() throws Exception {
    Optional<SpecFile> spec = arguments.read(System.err);
    if (spec.isEmpty()) {
      return SubmitCommand.INVALID;
    }
    JobSpec s = spec.get().checked().spec();
    if (print) {
      System.out.print(Json.yaml().writeValueAsString(s));
    } else {
      System.out.println(
          arguments.file
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
