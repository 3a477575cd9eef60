package dev.kft.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kft.events.Event;
import dev.kft.events.EventSerializer;
import dev.kft.events.SubmitJob;
import dev.kft.events.Topics;
import dev.kft.job.JobIds;
import dev.kft.job.JobSpecs;
import dev.kft.job.Problem;
import dev.kft.job.SpecSyntaxException;
import dev.kft.job.ValidatedSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code kft submit JOB.yaml}: validates a job spec locally and publishes it to {@code kft.jobs}.
 */
@Command(name = "submit", description = "Validate a job spec and submit it; prints the job id.")
final class SubmitCommand implements Callable<Integer> {

  /** Exit code of a spec with problems. */
  static final int INVALID = 2;

  @Parameters(paramLabel = "JOB.yaml", description = "the job spec (YAML or JSON)")
  Path file;

  @Option(names = "--watch", description = "follow the job to its end")
  boolean watch;

  @Option(names = "--job-id", description = "the job id to use (default: a new UUID)")
  String jobId;

  @Option(
      names = "--timeout-minutes",
      defaultValue = "1440",
      description = "stop watching after this long (exit 4)")
  long timeoutMinutes;

  @Override
  public Integer call() throws Exception {
    Settings settings = Settings.load();
    JsonNode tree;
    try {
      tree = JobSpecs.parse(Files.readString(file));
    } catch (SpecSyntaxException e) {
      System.err.println(file + ": " + e.getMessage());
      return INVALID;
    }
    ValidatedSpec checked = JobSpecs.validate(tree);
    if (!checked.valid()) {
      System.err.println(file + " has " + checked.problems().size() + " problem(s):");
      for (Problem p : checked.problems()) {
        System.err.println("  " + p);
      }
      return INVALID;
    }
    for (Problem w : checked.warnings()) {
      System.err.println(file + ": warning: " + w);
    }
    String id = jobId != null ? jobId : UUID.randomUUID().toString();
    Optional<String> badId = JobIds.problem(id);
    if (badId.isPresent()) {
      System.err.println("--job-id " + JobIds.quoted(id) + " " + badId.get());
      return INVALID;
    }
    publish(settings, new SubmitJob(Event.newId(), id, Instant.now(), tree, user()));
    System.out.println(id);
    return watch ? new JobWatch(settings, id, Duration.ofMinutes(timeoutMinutes)).follow() : 0;
  }

  /** Publishes {@code submit} as the command's Kafka user. */
  static void publish(Settings settings, SubmitJob submit) throws Exception {
    try (KafkaProducer<String, Event> producer =
        new KafkaProducer<>(
            settings
                .kafkaConnection()
                .config(
                    Map.of(
                        ProducerConfig.ACKS_CONFIG,
                        "all",
                        ProducerConfig.MAX_BLOCK_MS_CONFIG,
                        30_000)),
            new StringSerializer(),
            new EventSerializer())) {
      producer.send(new ProducerRecord<>(Topics.JOBS, submit.jobId(), submit)).get();
    }
  }

  private static String user() {
    return System.getProperty("user.name", "unknown");
  }
}
