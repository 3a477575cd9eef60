package dev.kft.dataprep.messaging;

import dev.kft.events.DatasetPrepared;
import dev.kft.events.Event;
import dev.kft.events.JobFailed;
import dev.kft.events.JobRejected;
import dev.kft.events.SubmitJob;
import dev.kft.events.Topics;
import dev.kft.job.JobSpecs;
import dev.kft.testing.KafkaTestClient;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

/** Submits jobs as a user would and waits for data-prep's last word on them. */
final class Jobs {

  static final Duration WAIT = Duration.ofSeconds(120);

  private Jobs() {}

  /** Publishes a job and returns its terminal data-prep event. */
  static Event submitAndAwait(KafkaTestClient kafka, String yaml) {
    String jobId = UUID.randomUUID().toString();
    kafka.publish(
        Topics.JOBS,
        new SubmitJob(Event.newId(), jobId, Instant.now(), JobSpecs.parse(yaml), "test"));
    return kafka
        .awaitEvents(Topics.JOB_EVENTS, e -> e.jobId().equals(jobId) && terminal(e), 1, WAIT)
        .get(0);
  }

  static boolean terminal(Event e) {
    return e instanceof DatasetPrepared || e instanceof JobFailed || e instanceof JobRejected;
  }

  /** A job on a file of the data roots, with overrides appended to its sections. */
  static String job(String uri, String datasetExtra, String trainingExtra) {
    return """
        model: {source: bert-base-chinese, max_length: 128}
        dataset: {uri: %s, text_column: review, label_column: label%s}
        training: {per_device_train_batch_size: 32, per_device_eval_batch_size: 64%s}
        registry: {model_name: reviews}
        """
        .formatted(uri, datasetExtra, trainingExtra);
  }
}
