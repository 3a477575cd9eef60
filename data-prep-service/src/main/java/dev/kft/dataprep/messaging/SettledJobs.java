package dev.kft.dataprep.messaging;

import dev.kft.events.DatasetPrepared;
import dev.kft.events.Event;
import dev.kft.events.JobFailed;
import dev.kft.events.JobRejected;
import dev.kft.events.Topics;
import dev.kft.messaging.TopicScan;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The job ids data-prep has already settled (prepared, failed or rejected), read from {@code
 * kft.job-events} when the loop starts and kept up to date as it settles jobs, so that a job
 * submitted again under the same id is not prepared twice.
 */
final class SettledJobs {

  private final Set<String> settled = ConcurrentHashMap.newKeySet();

  /** Reads every committed job event once; returns how many settled jobs it found. */
  int load(String bootstrapServers) {
    TopicScan.events(
        bootstrapServers,
        Topics.JOB_EVENTS,
        Duration.ofSeconds(120),
        (key, e) -> {
          if (isSettlement(e)) {
            settled.add(e.jobId());
          }
        });
    return settled.size();
  }

  private static boolean isSettlement(Event e) {
    return e instanceof DatasetPrepared
        || e instanceof JobRejected
        || (e instanceof JobFailed f && "data-prep".equals(f.service()));
  }

  boolean contains(String jobId) {
    return settled.contains(jobId);
  }

  void add(String jobId) {
    if (jobId != null) {
      settled.add(jobId);
    }
  }
}
