package dev.kft.events;

import java.time.Instant;
import java.util.UUID;

/**
 * Records that the trainer stopped training a job for good; published on {@link Topics#JOB_EVENTS}.
 *
 * @param lastCheckpointUri the checkpoint written at the final step
 */
public record TrainingFinished(
    UUID eventId,
    String jobId,
    Instant occurredAt,
    Reason reason,
    long step,
    double epoch,
    double trainLoss,
    String lastCheckpointUri)
    implements JobEvent {

  /** Why training ended. */
  public enum Reason {
    /** All epochs or {@code max_steps} ran. */
    COMPLETED,
    /** The evaluator's early stopping asked for it. */
    EARLY_STOPPED,
    /** A user cancelled the job. */
    CANCELLED,
    /** Another service found that the job cannot succeed and said why in a {@code JobFailed}. */
    FAILED
  }
}
