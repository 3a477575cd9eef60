package dev.kft.dataprep.messaging;

import dev.kft.events.DatasetPrepared;
import dev.kft.events.Event;
import dev.kft.events.JobFailed;
import dev.kft.events.JobRejected;
import dev.kft.events.Topics;
import dev.kft.messaging.KafkaConnection;
import dev.kft.messaging.TopicScan;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Whether data-prep has already settled a job (prepared, failed or rejected it), whichever instance
 * did, so that a job submitted again under the same id is not prepared twice. Reads only the job's
 * own partition of {@code kft.job-events}, never the whole topic.
 */
final class SettledJobs {

  private static final Duration TIMEOUT = Duration.ofSeconds(120);

  private final KafkaConnection kafka;

  SettledJobs(KafkaConnection kafka) {
    this.kafka = kafka;
  }

  /**
   * @throws dev.kft.messaging.KafkaUnavailableException when the partition cannot be read to its
   *     end in time (the record is then read again later)
   */
  boolean contains(String jobId) {
    AtomicBoolean settled = new AtomicBoolean();
    TopicScan.eventsOf(
        kafka,
        Topics.JOB_EVENTS,
        jobId,
        TIMEOUT,
        e -> {
          if (isSettlement(e)) {
            settled.set(true);
          }
        });
    return settled.get();
  }

  private static boolean isSettlement(Event e) {
    return e instanceof DatasetPrepared
        || e instanceof JobRejected
        || (e instanceof JobFailed f && "data-prep".equals(f.service()));
  }
}
