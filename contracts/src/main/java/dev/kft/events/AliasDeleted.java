package dev.kft.events;

import java.time.Instant;
import java.util.UUID;

/** Records that an alias was removed from a model; published on {@link Topics#MODELS}. */
public record AliasDeleted(
    UUID eventId,
    String jobId,
    Instant occurredAt,
    String modelName,
    String alias,
    int previousVersion,
    String deletedBy)
    implements ModelEvent {}
