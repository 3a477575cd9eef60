package dev.kft.events;

import java.time.Instant;
import java.util.UUID;

/**
 * Records that an alias now points at a model version; published on {@link Topics#MODELS}.
 *
 * @param previousVersion the version the alias pointed at before, or {@code null}
 * @param setBy who moved it
 */
public record AliasSet(
    UUID eventId,
    String jobId,
    Instant occurredAt,
    String modelName,
    String alias,
    int version,
    Integer previousVersion,
    String setBy)
    implements ModelEvent {}
