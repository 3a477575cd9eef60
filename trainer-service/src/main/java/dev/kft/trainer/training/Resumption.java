package dev.kft.trainer.training;

import ai.djl.ndarray.NDManager;
import dev.kft.events.DatasetPrepared;
import dev.kft.job.TrainingSpec;
import dev.kft.model.ModelLoader;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Where a job starts: from its newest readable checkpoint (model, optimizer moments and step), or
 * from the base model when it has none. A checkpoint that cannot be read (a torn write, a damaged
 * file) is passed over for the one before it.
 *
 * @param checkpoint the checkpoint resumed from, if any
 * @param state that checkpoint's state, or null
 */
public record Resumption(
    JobModel job, AdamW optimizer, Optional<Path> checkpoint, CheckpointStore.State state) {

  private static final Logger LOG = Logger.getLogger(Resumption.class);

  /** The step training goes on from. */
  public long step() {
    return state == null ? 0 : state.step();
  }

  /** Builds the job's model and optimizer in {@code manager}, from the newest usable checkpoint. */
  public static Resumption of(
      ModelLoader loader, CheckpointStore store, DatasetPrepared prepared, NDManager manager)
      throws IOException {
    TrainingSpec t = prepared.spec().training();
    List<Long> steps = store.steps(prepared.jobId());
    for (int i = steps.size() - 1; i >= 0; i--) {
      Path checkpoint = store.directory(prepared.jobId(), steps.get(i));
      NDManager attempt = manager.newSubManager();
      try {
        JobModel job = JobModel.build(loader, store, prepared, Optional.of(checkpoint), attempt);
        AdamW optimizer = AdamW.forTraining(attempt, t, job.trainable().keySet());
        CheckpointStore.Restored restored = store.restore(checkpoint);
        optimizer.restore(
            restored.firstMoments(),
            restored.secondMoments(),
            restored.state().optimizerSteps(),
            job.model().parameters());
        return new Resumption(job, optimizer, Optional.of(checkpoint), restored.state());
      } catch (IOException | RuntimeException e) {
        attempt.close();
        LOG.warnf(
            "job %s: %s cannot be resumed from (%s); trying the checkpoint before it",
            prepared.jobId(), checkpoint.getFileName(), e.getMessage());
      }
    }
    JobModel job = JobModel.build(loader, store, prepared, Optional.empty(), manager);
    return new Resumption(
        job, AdamW.forTraining(manager, t, job.trainable().keySet()), Optional.empty(), null);
  }
}
