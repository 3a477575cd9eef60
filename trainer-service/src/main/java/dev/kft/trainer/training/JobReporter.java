package dev.kft.trainer.training;

import dev.kft.events.ParameterCount;
import dev.kft.events.TrainingFinished;
import java.util.List;

/** Where a training job's facts go; the messaging layer publishes them as events. */
public interface JobReporter {

  /**
   * Training began.
   *
   * @param unusedWeights checkpoint tensors the model leaves out, grouped
   */
  void started(
      ParameterCount parameters,
      long totalSteps,
      long resumedFromStep,
      String device,
      List<String> unusedWeights);

  void progress(TrainingRun.Progress progress);

  /**
   * A checkpoint was written.
   *
   * @param finished why training ended when this is the job's last checkpoint, else null
   */
  void checkpointSaved(
      CheckpointStore.Saved saved,
      double epoch,
      double trainLoss,
      TrainingFinished.Reason finished);

  void finished(
      TrainingFinished.Reason reason,
      long step,
      double epoch,
      double trainLoss,
      String lastCheckpointUri);

  void failed(String reason, Long step);
}
