package dev.kft.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kft.job.JobSpecs;
import dev.kft.job.Problem;
import dev.kft.job.SpecSyntaxException;
import dev.kft.job.ValidatedSpec;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * A job spec file as {@code kft submit} and {@code kft validate} read it: parsed, with the {@code
 * --set} overrides applied in order, and validated; what is wrong is printed, each problem with its
 * path, each warning with the name it is about.
 *
 * @param tree the spec as it will be submitted (overrides applied)
 * @param checked the validation of that tree
 */
record SpecFile(JsonNode tree, ValidatedSpec checked) {

  /** The spec file and its {@code --set} overrides, as the commands that read a spec take them. */
  static final class Arguments {
    @Parameters(paramLabel = "JOB.yaml", description = "the job spec (YAML or JSON)")
    Path file;

    @Option(
        names = "--set",
        paramLabel = "KEY=VALUE",
        description = "override one setting, e.g. --set training.learning_rate=3e-5 (repeatable)")
    List<String> overrides = List.of();

    /** The spec as {@link SpecFile#read} reads it. */
    Optional<SpecFile> read(PrintStream err) throws IOException {
      return SpecFile.read(file, overrides, err);
    }
  }

  /** Reads {@code file}; empty when it cannot be read or is not a valid spec (all said on err). */
  static Optional<SpecFile> read(Path file, List<String> overrides, PrintStream err)
      throws IOException {
    JsonNode tree;
    try {
      tree = JobSpecs.parse(Files.readString(file));
      for (String assignment : overrides) {
        tree = JobSpecs.override(tree, assignment);
      }
    } catch (NoSuchFileException e) {
      err.println(file + ": no such file (relative paths start where you run kft)");
      return Optional.empty();
    } catch (SpecSyntaxException | IllegalArgumentException e) {
      err.println(file + ": " + e.getMessage());
      return Optional.empty();
    }
    ValidatedSpec checked = JobSpecs.validate(tree);
    if (!checked.valid()) {
      err.println(file + " has " + checked.problems().size() + " problem(s):");
      for (Problem p : checked.problems()) {
        err.println("  " + p);
      }
      return Optional.empty();
    }
    for (Problem w : checked.warnings()) {
      err.println(file + ": warning: " + w);
    }
    return Optional.of(new SpecFile(tree, checked));
  }
}
