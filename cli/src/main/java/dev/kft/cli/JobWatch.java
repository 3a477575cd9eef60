package dev.kft.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kft.events.CheckpointEvaluated;
import dev.kft.events.DatasetPrepared;
import dev.kft.events.Event;
import dev.kft.events.JobAccepted;
import dev.kft.events.JobFailed;
import dev.kft.events.JobRejected;
import dev.kft.events.ModelCandidate;
import dev.kft.events.ModelVersionRegistered;
import dev.kft.events.Topics;
import dev.kft.events.TrainingFinished;
import dev.kft.events.TrainingFinished.Reason;
import dev.kft.events.TrainingProgress;
import dev.kft.events.TrainingStarted;
import dev.kft.messaging.EventDeserializer;
import dev.kft.messaging.TopicScan;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.SerializationException;

/**
 * Follows one job live from {@code kft.job-events}, {@code kft.evaluations} and {@code kft.models}
 * (read from the beginning, so a late watcher sees the whole story): data preparation, a progress
 * line, the evaluations, the outcome and the registered version. On a terminal it redraws one
 * progress bar; elsewhere (CI logs) it prints plain lines.
 */
final class JobWatch {

  /** Exit codes of a watched job. */
  static final int REGISTERED = 0;

  static final int FAILED = 1;
  static final int NOT_APPROVED = 3;
  static final int TIMED_OUT = 4;

  private final Settings settings;
  private final String jobId;
  private final PrintStream out = System.out;
  private final boolean terminal = System.console() != null;
  private final Duration timeout;
  private boolean progressShown;
  private ModelVersionRegistered registered;
  private TrainingProgress firstProgress;

  JobWatch(Settings settings, String jobId) {
    this(settings, jobId, Duration.ofHours(24));
  }

  JobWatch(Settings settings, String jobId, Duration timeout) {
    this.settings = settings;
    this.jobId = jobId;
    this.timeout = timeout;
  }

  ModelVersionRegistered registered() {
    return registered;
  }

  /** Prints the job's story until it ends; returns an exit code. */
  int follow() throws Exception {
    EventDeserializer events = new EventDeserializer();
    Instant deadline = Instant.now().plus(timeout);
    Instant nextRegistryCheck = Instant.MAX;
    try (KafkaConsumer<String, byte[]> consumer = TopicScan.consumer(settings.kafka(), Map.of())) {
      List<TopicPartition> partitions =
          List.of(Topics.JOB_EVENTS, Topics.EVALUATIONS, Topics.MODELS).stream()
              .flatMap(t -> consumer.partitionsFor(t, Duration.ofSeconds(30)).stream())
              .map(p -> new TopicPartition(p.topic(), p.partition()))
              .toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      while (Instant.now().isBefore(deadline)) {
        for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(500))) {
          if (!jobId.equals(r.key())) {
            continue;
          }
          Event e;
          try {
            e = events.deserialize(r.topic(), r.value());
          } catch (SerializationException ex) {
            continue;
          }
          Integer end = show(e);
          if (end != null) {
            return end;
          }
          if (e instanceof ModelCandidate) {
            nextRegistryCheck = Instant.now().plusSeconds(2);
          }
        }
        if (Instant.now().isAfter(nextRegistryCheck)) {
          Integer end = registryVerdict();
          if (end != null) {
            return end;
          }
          nextRegistryCheck = Instant.now().plusSeconds(2);
        }
      }
    }
    line("gave up watching after " + timeout);
    return TIMED_OUT;
  }

  /** Asks the registry whether it turned the candidate down; the one outcome not on Kafka. */
  private Integer registryVerdict() {
    try {
      JsonNode job = new RegistryClient(settings).get("/api/jobs/" + jobId);
      String status = job.path("status").asText();
      if (status.equals("NOT_APPROVED") || status.equals("FAILED")) {
        line("job " + status + ": " + job.path("reason").asText());
        return status.equals("NOT_APPROVED") ? NOT_APPROVED : FAILED;
      }
    } catch (Exception e) {
      // the registry may be starting; ask again shortly
    }
    return null;
  }

  private Integer show(Event e) {
    if (e instanceof JobAccepted a) {
      line("accepted: " + a.spec().registry().modelName() + ", method " + a.spec().method().type());
    } else if (e instanceof JobRejected r) {
      line("rejected: " + r.reason());
      r.problems().forEach(p -> line("  " + p));
      return FAILED;
    } else if (e instanceof DatasetPrepared p) {
      line(Render.prepared(p));
    } else if (e instanceof TrainingStarted s) {
      line(Render.started(s));
    } else if (e instanceof TrainingProgress p) {
      if (firstProgress == null) {
        firstProgress = p;
      }
      double seconds =
          Duration.between(firstProgress.occurredAt(), p.occurredAt()).toMillis() / 1000.0;
      double pace = seconds > 0 ? (p.step() - firstProgress.step()) / seconds : 0;
      progress(Render.progress(p, pace, terminal));
    } else if (e instanceof CheckpointEvaluated c) {
      line(Render.evaluated(c));
    } else if (e instanceof TrainingFinished f) {
      line("training finished: " + f.reason() + " at step " + f.step());
      if (f.reason() == Reason.CANCELLED) {
        return FAILED;
      }
    } else if (e instanceof JobFailed f) {
      line("FAILED in " + f.service() + " (" + f.stage() + "): " + f.reason());
      return FAILED;
    } else if (e instanceof ModelCandidate c) {
      line(Render.candidate(c));
    } else if (e instanceof ModelVersionRegistered v) {
      registered = v;
      line("registered " + v.modelName() + " v" + v.version() + " at " + v.artifactUri());
      return REGISTERED;
    }
    return null;
  }

  private void progress(String text) {
    if (terminal) {
      out.print("\r" + text);
      out.flush();
      progressShown = true;
    } else {
      out.println(text);
    }
  }

  private void line(String text) {
    if (progressShown) {
      out.println();
      progressShown = false;
    }
    out.println(text);
  }
}
