package dev.kft.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kft.events.Event;
import dev.kft.events.EventDeserializer;
import dev.kft.events.ModelCandidate;
import dev.kft.events.ModelVersionRegistered;
import dev.kft.events.Topics;
import dev.kft.messaging.TopicScan;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.SerializationException;

/**
 * Follows one job live from {@code kft.job-events}, {@code kft.evaluations} and {@code kft.models}
 * (read from the beginning, so a late watcher sees the whole story, in the order it happened): data
 * preparation, a progress line, the evaluations, the outcome and the registered version. On a
 * terminal it redraws one progress bar; elsewhere (CI logs) it prints plain lines.
 */
final class JobWatch {

  /** Exit codes of a watched job. */
  static final int REGISTERED = 0;

  static final int FAILED = 1;
  static final int NOT_APPROVED = 3;
  static final int TIMED_OUT = 4;

  private final Settings settings;
  private final String jobId;
  private final WatchDisplay display = new WatchDisplay();
  private final Duration timeout;
  private Instant nextRegistryCheck = Instant.MAX;
  private final EventDeserializer events = new EventDeserializer();
  private final CatchUp catchUp = new CatchUp();

  JobWatch(Settings settings, String jobId, Duration timeout) {
    this.settings = settings;
    this.jobId = jobId;
    this.timeout = timeout;
  }

  ModelVersionRegistered registered() {
    return display.registered();
  }

  /** Prints the job's story until it ends; returns an exit code. */
  int follow() throws Exception {
    Instant deadline = Instant.now().plus(timeout);
    try (KafkaConsumer<String, byte[]> consumer =
        TopicScan.consumer(settings.kafkaConnection(), Map.of())) {
      Instant nextAssignment = Instant.MIN;
      while (Instant.now().isBefore(deadline)) {
        if (Instant.now().isAfter(nextAssignment)) {
          assignNew(consumer);
          nextAssignment = Instant.now().plusSeconds(2);
        }
        if (consumer.assignment().isEmpty()) {
          Thread.sleep(500);
          continue;
        }
        Integer end = handle(consumer.poll(Duration.ofMillis(500)));
        for (Event held : catchUp.finish(consumer).orElse(List.of())) {
          end = end != null ? end : showLive(held);
        }
        if (end == null && Instant.now().isAfter(nextRegistryCheck)) {
          end = registryVerdict();
          nextRegistryCheck = Instant.now().plusSeconds(2);
        }
        if (end != null) {
          return end;
        }
      }
    }
    display.line("gave up watching after " + timeout);
    return TIMED_OUT;
  }

  private Integer handle(Iterable<ConsumerRecord<String, byte[]>> records) {
    for (ConsumerRecord<String, byte[]> record : records) {
      // a job's records are keyed by the job, except kft.models's: those are keyed by the model
      boolean models = record.topic().equals(Topics.MODELS);
      if (!models && !jobId.equals(record.key())) {
        continue;
      }
      Event e;
      try {
        e = events.deserialize(record.topic(), record.value());
      } catch (SerializationException ex) {
        continue;
      }
      if (!jobId.equals(e.jobId())) {
        continue;
      }
      if (!catchUp.done()) {
        catchUp.hold(e);
        continue;
      }
      Integer end = showLive(e);
      if (end != null) {
        return end;
      }
    }
    return null;
  }

  private Integer showLive(Event e) {
    if (e instanceof ModelCandidate) {
      nextRegistryCheck = Instant.now().plusSeconds(2);
    }
    return display.show(e);
  }

  /**
   * Adds the partitions of the watched topics that exist by now, read from their beginning: a topic
   * appears when its first record is written, possibly after the watch began.
   */
  private void assignNew(KafkaConsumer<String, byte[]> consumer) {
    Set<TopicPartition> assigned = new HashSet<>(consumer.assignment());
    List<TopicPartition> added = new ArrayList<>();
    for (String topic : List.of(Topics.JOB_EVENTS, Topics.EVALUATIONS, Topics.MODELS)) {
      for (PartitionInfo p : consumer.partitionsFor(topic, Duration.ofSeconds(10))) {
        TopicPartition tp = new TopicPartition(p.topic(), p.partition());
        if (assigned.add(tp)) {
          added.add(tp);
        }
      }
    }
    if (!added.isEmpty()) {
      consumer.assign(assigned);
      consumer.seekToBeginning(added);
      catchUp.assigned(consumer, added);
    }
  }

  /** Asks the registry whether it turned the candidate down; the one outcome not on Kafka. */
  private Integer registryVerdict() {
    try {
      JsonNode job = ApiClient.registry(settings).get("/api/jobs/" + jobId);
      String status = job.path("status").asText();
      if (status.equals("NOT_APPROVED") || status.equals("FAILED")) {
        display.line("job " + status + ": " + job.path("reason").asText());
        return status.equals("NOT_APPROVED") ? NOT_APPROVED : FAILED;
      }
    } catch (Exception e) {
      // the registry may be starting; ask again shortly
    }
    return null;
  }
}
