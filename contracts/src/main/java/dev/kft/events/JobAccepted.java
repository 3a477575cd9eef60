package dev.kft.events;

import dev.kft.job.JobSpec;
import java.time.Instant;
import java.util.UUID;

/**
 * Records that a submitted job passed validation; published on {@link Topics#JOB_EVENTS}.
 *
 * @param spec the job spec with every default filled in: what the job will actually run
 */
public record JobAccepted(UUID eventId, String jobId, Instant occurredAt, JobSpec spec)
    implements JobEvent {}
