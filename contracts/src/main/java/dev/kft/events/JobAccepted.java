package dev.kft.events;

import dev.kft.job.JobSpec;
import dev.kft.job.Problem;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Records that a submitted job passed validation; published on {@link Topics#JOB_EVENTS}.
 *
 * @param spec the job spec with every default filled in: what the job will actually run
 * @param warnings what of the submitted spec was read differently: deprecated Hugging Face names
 *     read as their current ones, arguments without effect in kft set aside; empty or absent when
 *     none
 */
public record JobAccepted(
    UUID eventId, String jobId, Instant occurredAt, JobSpec spec, List<Problem> warnings)
    implements JobEvent {}
