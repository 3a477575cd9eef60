package dev.kft.events;

import java.time.Instant;
import java.util.UUID;

/**
 * Records that the trainer wrote a checkpoint; published on {@link Topics#CHECKPOINTS}.
 *
 * @param uri where the checkpoint directory lies in the artifact store
 * @param sha256 sha256 of its weights file
 * @param trainableOnly true when it holds only the trained parameters (PEFT) on top of the base
 * @param finalCheckpoint true for the checkpoint written when training ends
 */
public record CheckpointSaved(
    UUID eventId,
    String jobId,
    Instant occurredAt,
    long step,
    double epoch,
    String uri,
    String sha256,
    long sizeBytes,
    boolean trainableOnly,
    double trainLoss,
    boolean finalCheckpoint)
    implements Event {}
