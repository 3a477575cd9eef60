package dev.kft.events;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Proposes a job's chosen checkpoint for registration, with its validation and test figures;
 * published on {@link Topics#EVALUATIONS} once the job's training has ended and every checkpoint is
 * evaluated.
 *
 * @param step the chosen checkpoint's step: the best one, or the last without {@code
 *     load_best_model_at_end}
 * @param checkpointUri the chosen checkpoint directory; it holds the job's {@link DatasetPrepared}
 *     (offset ranges, dataset hashes, spec) for lineage
 * @param checkpointSha256 sha256 of the checkpoint's weights file
 * @param trainableOnly whether the checkpoint holds only trained (PEFT) tensors over the base
 * @param parameters trainable and total parameters
 * @param datasetSha256 the {@link DatasetPrepared#datasetSha256()} the model was trained on
 * @param labelNames label names by label id
 * @param evalMetrics the checkpoint's validation metrics ({@code eval_*}); empty without a
 *     validation split
 * @param testMetrics its test metrics ({@code test_*}); empty without a test split
 * @param evalConfusionMatrixUri SVG of the validation confusion matrix, or null
 * @param testConfusionMatrixUri SVG of the test confusion matrix, or null
 * @param finished why training ended
 * @param testPredictionsUri the test split's per-example predictions (JSON lines: row, text as the
 *     model saw it, label, predicted label, probabilities), or null
 */
public record ModelCandidate(
    UUID eventId,
    String jobId,
    Instant occurredAt,
    long step,
    String checkpointUri,
    String checkpointSha256,
    boolean trainableOnly,
    ParameterCount parameters,
    String datasetSha256,
    List<String> labelNames,
    Map<String, Double> evalMetrics,
    ConfusionMatrix evalConfusionMatrix,
    String evalConfusionMatrixUri,
    Map<String, Double> testMetrics,
    ConfusionMatrix testConfusionMatrix,
    String testConfusionMatrixUri,
    TrainingFinished.Reason finished,
    String testPredictionsUri)
    implements EvaluationEvent {}
