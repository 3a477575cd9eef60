package dev.kft.events;

import java.time.Instant;
import java.util.UUID;

/**
 * Records that an accepted job ended in an error; published on {@link Topics#JOB_EVENTS}.
 *
 * @param service the service that failed the job
 * @param stage what it was doing (for example {@code read-dataset}, {@code train}, {@code
 *     evaluate})
 * @param reason one line a person can act on
 * @param step the optimizer step at failure, or {@code null} outside training
 */
public record JobFailed(
    UUID eventId,
    String jobId,
    Instant occurredAt,
    String service,
    String stage,
    String reason,
    Long step)
    implements JobEvent {}
