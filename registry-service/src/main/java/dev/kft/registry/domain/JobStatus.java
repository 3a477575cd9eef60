package dev.kft.registry.domain;

import dev.kft.events.DatasetPrepared;
import dev.kft.events.Event;
import dev.kft.events.JobAccepted;
import dev.kft.events.JobFailed;
import dev.kft.events.JobRejected;
import dev.kft.events.SubmitJob;
import dev.kft.events.TrainingFinished;
import dev.kft.events.TrainingProgress;
import dev.kft.events.TrainingStarted;
import java.util.Optional;

/** Where a job stands, as its events tell; terminal states are final. */
public enum JobStatus {
  SUBMITTED,
  PREPARING,
  TRAINING,
  EVALUATING,
  REJECTED,
  COMPLETED,
  EARLY_STOPPED,
  NOT_APPROVED,
  FAILED,
  CANCELLED;

  public boolean terminal() {
    return ordinal() >= REJECTED.ordinal();
  }

  /**
   * The status after {@code event}, or empty when the event does not move the job (it is already
   * past that point, or ended). Model candidates are decided by the registry itself.
   */
  public static Optional<JobStatus> after(JobStatus current, Event event) {
    if (current != null && current.terminal()) {
      return Optional.empty();
    }
    JobStatus next = null;
    if (event instanceof SubmitJob) {
      next = SUBMITTED;
    } else if (event instanceof JobAccepted) {
      next = PREPARING;
    } else if (event instanceof JobRejected) {
      next = REJECTED;
    } else if (event instanceof DatasetPrepared
        || event instanceof TrainingStarted
        || event instanceof TrainingProgress) {
      next = TRAINING;
    } else if (event instanceof TrainingFinished f) {
      next =
          switch (f.reason()) {
            case COMPLETED, EARLY_STOPPED -> EVALUATING;
            case CANCELLED -> CANCELLED;
            case FAILED -> FAILED;
          };
    } else if (event instanceof JobFailed) {
      next = FAILED;
    }
    if (next == null
        || (current != null && !next.terminal() && next.ordinal() <= current.ordinal())) {
      return Optional.empty();
    }
    return Optional.of(next);
  }
}
