package dev.kft.trainer.training;

import dev.kft.events.ParameterCount;
import dev.kft.events.TrainingFinished;
import dev.kft.nn.Precision;
import java.util.List;

/** Where a training job's facts go; the messaging layer publishes them as events. */
public interface JobReporter {

  /**
   * Training began.
   *
   * @param precision the type of the matrix products ({@link Precision#id})
   * @param unusedWeights checkpoint tensors the model leaves out, grouped
   */
  void started(
      ParameterCount parameters,
      long totalSteps,
      long resumedFromStep,
      String device,
      String precision,
      List<String> unusedWeights);

  void progress(TrainingRun.Progress progress);

  /**
   * A checkpoint was written.
   *
   * @param finished why training ended when this is the job's last checkpoint, else null
   * @param evaluationPoint whether {@code eval_strategy} asks for an evaluation at its step
   */
  void checkpointSaved(
      CheckpointStore.Saved saved,
      double epoch,
      double trainLoss,
      TrainingFinished.Reason finished,
      boolean evaluationPoint);

  void finished(
      TrainingFinished.Reason reason,
      long step,
      double epoch,
      double trainLoss,
      String lastCheckpointUri);

  void failed(String reason, Long step);

  /**
   * What of the job's end is already published: asked when a job is resumed, so that a trainer that
   * restarts after the end was (partly) published does not publish it twice.
   */
  EndReported endReported();

  /**
   * @param lastCheckpoint whether a {@code CheckpointSaved} marked last is published
   * @param finished whether {@code TrainingFinished} is published
   */
  record EndReported(boolean lastCheckpoint, boolean finished) {
    public static final EndReported NONE = new EndReported(false, false);
  }
}
