package dev.kft.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kft.events.Event;
import dev.kft.events.ModelVersionRegistered;
import dev.kft.events.SubmitJob;
import dev.kft.job.JobSpecs;
import dev.kft.job.ValidatedSpec;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code kft demo}: starts the local stack, submits the bundled ChnSentiCorp job (a small model
 * from scratch, or with {@code --pretrained} multilingual BERT), follows it to its registered
 * version and says where its metrics, confusion matrix and model card are.
 */
@Command(name = "demo", description = "Run the bundled ChnSentiCorp example end to end.")
final class DemoCommand implements Callable<Integer> {

  @Mixin StackCommands.PortOptions ports = new StackCommands.PortOptions();

  @Option(names = "--job", description = "the job spec to run (default: examples/demo.yaml)")
  Path job;

  @Option(
      names = "--pretrained",
      description =
          "fine-tune Google's pretrained multilingual BERT from Maven Central instead"
              + " (examples/chnsenticorp-mbert.yaml; the README says how long it takes)")
  boolean pretrained;

  @Override
  public Integer call() throws Exception {
    Settings before = Settings.load();
    Instant start = Instant.now();
    System.out.println("== starting the local stack");
    StackCommands.stack(before, ports.ports(), LocalStack.recordedReplicas(before)).up();
    Settings settings = Settings.load();
    // the bundled examples live in the checkout; a spec of the user's where they stand
    Path chosen =
        job != null
            ? job
            : Path.of("examples", pretrained ? "chnsenticorp-mbert.yaml" : "demo.yaml");
    Path spec = job != null ? job.toAbsolutePath() : settings.root().resolve(chosen);
    ValidatedSpec checked = JobSpecs.validate(JobSpecs.read(spec));
    if (!checked.valid()) {
      System.err.println(spec + ": " + checked.describeProblems());
      return SubmitCommand.INVALID;
    }
    String jobId = UUID.randomUUID().toString();
    System.out.println("== submitting " + chosen + " as job " + jobId);
    SubmitCommand.publish(
        settings,
        new SubmitJob(Event.newId(), jobId, Instant.now(), JobSpecs.read(spec), "kft demo"));
    JobWatch watch = new JobWatch(settings, jobId, Duration.ofMinutes(pretrained ? 180 : 60));
    int outcome = watch.follow();
    if (outcome == JobWatch.REGISTERED) {
      report(settings, watch.registered());
    }
    System.out.println(
        "== finished in "
            + Render.duration(Duration.between(start, Instant.now()).toSeconds())
            + "; the stack is still running: ./kft models, ./kft job "
            + jobId
            + ", stop it with ./kft down");
    return outcome;
  }

  private static void report(Settings settings, ModelVersionRegistered v) throws Exception {
    ApiClient registry = ApiClient.registry(settings);
    JsonNode version = registry.get("/api/models/" + v.modelName() + "/versions/" + v.version());
    JsonNode candidate = version.path("lineage").path("candidate");
    System.out.println(
        "== " + v.modelName() + " v" + v.version() + " is " + version.path("status").asText());
    version
        .path("testMetrics")
        .fields()
        .forEachRemaining(
            e -> {
              if (!e.getKey().contains("_support_")) {
                System.out.printf("   %-28s %.4f%n", e.getKey(), e.getValue().asDouble());
              }
            });
    Path dir = Path.of(URI.create(v.artifactUri()));
    System.out.println("   model (Hugging Face layout): " + dir);
    System.out.println("   model card: " + dir.resolve("README.md"));
    String matrix = candidate.path("testConfusionMatrixUri").asText("");
    if (!matrix.isEmpty() && Files.exists(Path.of(URI.create(matrix)))) {
      System.out.println("   test confusion matrix: " + Path.of(URI.create(matrix)));
    }
  }
}
