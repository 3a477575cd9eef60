package dev.kft.cli;

import dev.kft.events.Event;
import dev.kft.events.EventSerializer;
import dev.kft.events.SubmitJob;
import dev.kft.events.Topics;
import dev.kft.job.JobIds;
import dev.kft.json.Json;
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
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code kft submit JOB.yaml [--set KEY=VALUE ...]}: validates a job spec locally and publishes it
 * to {@code kft.jobs}.
 */
@Command(name = "submit", description = "Validate a job spec and submit it; prints the job id.")
final class SubmitCommand implements Callable<Integer> {

  /** Exit code of a spec with problems. */
  static final int INVALID = 2;

  @Mixin SpecFile.Arguments spec;

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
    Optional<SpecFile> read = spec.read(System.err);
    if (read.isEmpty()) {
      return INVALID;
    }
    String id = jobId != null ? jobId : UUID.randomUUID().toString();
    Optional<String> badId = JobIds.problem(id);
    if (badId.isPresent()) {
      System.err.println("--job-id " + JobIds.quoted(id) + " " + badId.get());
      return INVALID;
    }
    Settings settings = Settings.load();
    if (settings.overHttp()) {
      ApiClient.registry(settings).submit(Json.mapper().writeValueAsString(read.get().tree()), id);
    } else {
      publish(settings, new SubmitJob(Event.newId(), id, Instant.now(), read.get().tree(), user()));
    }
    System.out.println(id);
    return watch ? WatchCommand.follow(settings, id, Duration.ofMinutes(timeoutMinutes)) : 0;
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
