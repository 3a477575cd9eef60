package dev.kft.events;

import java.time.Instant;
import java.util.UUID;

/**
 * Asks the trainer to stop a job at its next step; published on {@link Topics#CONTROL}.
 *
 * @param detail why, for people (for example the metric history that exhausted the patience)
 * @param requestedBy the service or user that asked
 */
public record StopTraining(
    UUID eventId,
    String jobId,
    Instant occurredAt,
    TrainingFinished.Reason reason,
    String detail,
    String requestedBy)
    implements ControlCommand {}
