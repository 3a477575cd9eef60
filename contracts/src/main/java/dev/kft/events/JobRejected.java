package dev.kft.events;

import dev.kft.job.Problem;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Records that a job was refused before any work began; published on {@link Topics#JOB_EVENTS}.
 *
 * @param reason one line a person can act on
 * @param problems every problem found, each with the path in the spec it concerns
 */
public record JobRejected(
    UUID eventId, String jobId, Instant occurredAt, String reason, List<Problem> problems)
    implements JobEvent {}
