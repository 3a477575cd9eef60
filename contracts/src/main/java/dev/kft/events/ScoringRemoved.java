package dev.kft.events;

import java.time.Instant;
import java.util.UUID;

/**
 * Records that a scoring deployment was removed; published on {@link Topics#MODELS}, keyed (in
 * {@code jobId}) by the deployment's name.
 */
public record ScoringRemoved(
    UUID eventId, String jobId, Instant occurredAt, String deployment, String removedBy)
    implements ModelEvent {}
