package dev.kft.events;

import java.time.Instant;
import java.util.UUID;

/**
 * Reports training every {@code logging_steps} optimizer steps; published on {@link
 * Topics#JOB_EVENTS}.
 *
 * @param loss mean training loss over the steps since the last report
 */
public record TrainingProgress(
    UUID eventId,
    String jobId,
    Instant occurredAt,
    long step,
    long totalSteps,
    double epoch,
    double loss,
    double learningRate,
    double gradNorm,
    double samplesPerSecond,
    double tokensPerSecond)
    implements JobEvent {}
