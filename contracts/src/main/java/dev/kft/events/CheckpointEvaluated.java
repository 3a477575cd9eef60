package dev.kft.events;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * Records the metrics of one checkpoint on the validation split and the early-stopping state after
 * it; published on {@link Topics#EVALUATIONS}.
 *
 * @param metrics metric values under Hugging Face names ({@code eval_loss}, {@code eval_f1}, ...)
 * @param confusionMatrixUri an SVG picture of the matrix in the artifact store
 * @param best whether this checkpoint is the best so far by {@code metric_for_best_model}
 * @param patienceLeft evaluations without improvement still allowed, or -1 without early stopping
 */
public record CheckpointEvaluated(
    UUID eventId,
    String jobId,
    Instant occurredAt,
    long step,
    double epoch,
    String checkpointUri,
    Map<String, Double> metrics,
    ConfusionMatrix confusionMatrix,
    String confusionMatrixUri,
    boolean best,
    int patienceLeft)
    implements EvaluationEvent {}
