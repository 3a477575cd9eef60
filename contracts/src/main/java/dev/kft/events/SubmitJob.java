package dev.kft.events;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.UUID;

/**
 * Asks kft to run a job; published on {@link Topics#JOBS}.
 *
 * <p>The spec travels as the tree the user wrote, not as a bound {@code JobSpec}: the data-prep
 * service validates it and reports every problem at once in {@link JobRejected}.
 *
 * @param spec the job spec as written (YAML converted to a JSON tree)
 * @param submittedBy who asked, as the client knows them (user name or service account)
 */
public record SubmitJob(
    UUID eventId, String jobId, Instant occurredAt, JsonNode spec, String submittedBy)
    implements JobCommand {}
