package dev.kft.events;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * Proposes a job's chosen checkpoint for registration, with its validation and test figures;
 * published on {@link Topics#EVALUATIONS}.
 */
public record ModelCandidate(
    UUID eventId,
    String jobId,
    Instant occurredAt,
    long step,
    String checkpointUri,
    Map<String, Double> evalMetrics,
    Map<String, Double> testMetrics,
    ConfusionMatrix testConfusionMatrix,
    String testConfusionMatrixUri)
    implements EvaluationEvent {}
