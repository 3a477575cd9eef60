package dev.kft.events;

import java.time.Instant;
import java.util.UUID;

/**
 * Records that the trainer wrote a checkpoint; published on {@link Topics#CHECKPOINTS}. The
 * checkpoint directory also holds the job's {@link DatasetPrepared} ({@value #DATASET_FILE}), so
 * whoever evaluates or registers it needs no earlier event.
 *
 * @param uri where the checkpoint directory lies in the artifact store
 * @param sha256 sha256 of its weights file
 * @param trainableOnly true when it holds only the trained parameters (PEFT) on top of the base
 * @param parameters trainable and total parameters of the model trained
 * @param finished set on the job's last checkpoint: why training ended; null before
 * @param evaluationPoint whether {@code eval_strategy} asks for an evaluation at this step (a
 *     checkpoint saved only by {@code save_strategy} is not evaluated; the last one always is);
 *     absent in events of older kft, read as true
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
    ParameterCount parameters,
    double trainLoss,
    TrainingFinished.Reason finished,
    Boolean evaluationPoint)
    implements Event {

  /** The {@link DatasetPrepared} of the job, as JSON, inside every checkpoint directory. */
  public static final String DATASET_FILE = "kft_dataset_prepared.json";

  /** Whether training ended with this checkpoint. */
  public boolean last() {
    return finished != null;
  }

  /** Whether the evaluator evaluates this checkpoint on the validation split. */
  public boolean evaluated() {
    return last() || !Boolean.FALSE.equals(evaluationPoint);
  }
}
