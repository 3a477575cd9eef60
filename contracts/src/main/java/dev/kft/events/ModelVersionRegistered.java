package dev.kft.events;

import java.time.Instant;
import java.util.UUID;

/**
 * Records that a job's model became a registered version; published on {@link Topics#MODELS}.
 *
 * @param artifactUri the Hugging Face-layout model directory in the artifact store
 * @param sha256 sha256 of the version's weights file
 */
public record ModelVersionRegistered(
    UUID eventId,
    String jobId,
    Instant occurredAt,
    String modelName,
    int version,
    String artifactUri,
    String sha256,
    long sizeBytes)
    implements ModelEvent {}
