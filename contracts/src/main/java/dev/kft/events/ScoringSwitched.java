package dev.kft.events;

import java.time.Instant;
import java.util.UUID;

/**
 * Records that a scoring deployment moved to another version of its model (its alias moved):
 * records of {@code partition} from {@code offset} on are scored by {@code toVersion}, those before
 * it by {@code fromVersion}. Published on {@link Topics#SCORING} by the inference service, keyed
 * (in {@code jobId}) by the deployment's name, in the transaction of the first record it scored.
 */
public record ScoringSwitched(
    UUID eventId,
    String jobId,
    Instant occurredAt,
    String deployment,
    String model,
    int fromVersion,
    int toVersion,
    String topic,
    int partition,
    long offset)
    implements Event {}
