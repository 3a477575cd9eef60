package dev.kft.events;

import java.time.Instant;
import java.util.UUID;

/**
 * Reports training every {@code logging_steps} optimizer steps; published on {@link
 * Topics#JOB_EVENTS}.
 *
 * @param loss mean training loss over the steps since the last report (updates skipped by loss
 *     scaling left out; NaN when every one was)
 * @param lossScale float16 loss scaling's scale, absent for jobs without it
 * @param skippedSteps updates loss scaling skipped so far (their gradients overflowed), absent for
 *     jobs without it
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
    double tokensPerSecond,
    Double lossScale,
    Long skippedSteps)
    implements JobEvent {}
