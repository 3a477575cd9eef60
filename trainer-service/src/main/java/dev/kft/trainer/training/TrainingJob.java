package dev.kft.trainer.training;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import dev.kft.batch.TokenizedBatch;
import dev.kft.events.DatasetPrepared;
import dev.kft.events.TrainingFinished.Reason;
import dev.kft.job.TrainingSpec;
import dev.kft.model.ModelLoader;
import dev.kft.nn.BertClassifier;
import dev.kft.nn.Precision;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Trains one job to its end: builds the model the spec names (pretrained or seeded random, with the
 * dataset's labels), resumes from the job's latest checkpoint when there is one, runs the loop,
 * saves checkpoints and reports every fact to a {@link JobReporter}. Every parameter is trained, or
 * with a PEFT method only the method's ({@link JobModel}).
 */
public final class TrainingJob {

  private final ModelLoader loader;
  private final CheckpointStore store;
  private final String device;

  /**
   * @param device {@code auto} (a GPU when DJL sees one, else the CPU), {@code cpu} or {@code gpu}
   */
  public TrainingJob(ModelLoader loader, CheckpointStore store, String device) {
    this.loader = loader;
    this.store = store;
    if (!List.of("auto", "cpu", "gpu").contains(device)) {
      throw new IllegalArgumentException(
          "kft.trainer.device: must be auto, cpu or gpu, got '" + device + "'");
    }
    this.device = device;
  }

  /** The device jobs train on. */
  static Device device(String setting) {
    Engine engine = Engine.getInstance();
    return switch (setting) {
      case "cpu" -> Device.cpu();
      case "gpu" -> {
        if (engine.getGpuCount() == 0) {
          throw new IllegalStateException(
              "kft.trainer.device is gpu, but the PyTorch engine sees no GPU (CPU-only libtorch,"
                  + " or no CUDA driver)");
        }
        yield Device.gpu();
      }
      default -> engine.defaultDevice();
    };
  }

  /**
   * The precision of the job's matrix products on {@code on}.
   *
   * @throws IllegalArgumentException for {@code fp16} on a CPU
   */
  static Precision precision(TrainingSpec t, Device on) {
    if (t.fp16()) {
      if (!on.isGpu()) {
        throw new IllegalArgumentException(
            "training.fp16: float16 mixed precision needs a CUDA GPU, as in transformers; on a"
                + " CPU use bf16: true");
      }
      return Precision.FLOAT16;
    }
    return t.bf16() ? Precision.BFLOAT16 : Precision.FLOAT32;
  }

  /** Loss scaling for float16, resumed from the checkpoint's state when there is one. */
  private static LossScaler scaler(Precision precision, Resumption from) {
    if (precision != Precision.FLOAT16) {
      return LossScaler.none();
    }
    LossScaler.State saved = from.state() == null ? null : from.state().lossScaler();
    return saved == null ? LossScaler.dynamic() : LossScaler.restored(saved);
  }

  /**
   * Runs the job; {@code control} says when to stop and which checkpoints to keep.
   *
   * @param batches reads a split's batches back from Kafka
   */
  public void run(
      DatasetPrepared prepared,
      Function<DatasetPrepared, List<TokenizedBatch>> batches,
      JobControl control,
      JobReporter reporter)
      throws Exception {
    TrainingSpec t = prepared.spec().training();
    Device on = device(device);
    Precision precision = precision(t, on);
    try (NDManager manager = NDManager.newBaseManager(on)) {
      Resumption from = Resumption.of(loader, store, prepared, manager);
      JobModel job = from.job();
      BertClassifier model = job.model();
      model.computeIn(precision);
      AdamW optimizer = from.optimizer();
      long done = from.step();
      LossScaler scaler = scaler(precision, from);
      List<TokenizedBatch> train = batches.apply(prepared);
      TrainingPlan plan = TrainingPlan.of(t, train.size());
      Checkpoints checkpoints =
          new Checkpoints(
              prepared, plan, job, optimizer, scaler, reporter, from.checkpoint(), done, control);
      if (from.checkpoint().isPresent() && done >= plan.totalSteps()) {
        // a restart after the last checkpoint was written: publish what of the end is missing
        finishAgain(from, checkpoints, reporter);
        return;
      }
      reporter.started(
          job.parameters(),
          plan.totalSteps(),
          done,
          on.toString(),
          precision.id(),
          job.unusedWeights());
      TrainingStep step =
          new TrainingStep(
              model,
              job.trainable(),
              optimizer,
              new LearningRateSchedule(
                  t.lrSchedulerType(), t.learningRate(), plan.warmupSteps(), plan.totalSteps()),
              t.maxGradNorm(),
              scaler);
      TrainingRun run =
          new TrainingRun(
              plan,
              step,
              train,
              t.seed(),
              new TrainingRun.Listener() {
                @Override
                public void progress(TrainingRun.Progress p) {
                  reporter.progress(p);
                }

                @Override
                public void checkpoint(long s, double epoch, double loss, boolean last)
                    throws Exception {
                  checkpoints.save(s, epoch, loss, last ? Reason.COMPLETED : null);
                }
              },
              () -> control.stopRequested() != null || control.handedOver());
      try {
        TrainingRun.Result result = run.run(done);
        if (result.stopped() && control.handedOver()) {
          checkpoints.handOver(result);
          return;
        }
        Reason reason = result.stopped() ? control.stopRequested() : Reason.COMPLETED;
        JobReporter.EndReported end =
            from.checkpoint().isPresent() ? reporter.endReported() : JobReporter.EndReported.NONE;
        if (result.stopped() && !end.lastCheckpoint()) {
          checkpoints.finish(result, reason);
        }
        if (!end.finished()) {
          reporter.finished(
              reason, result.step(), result.epoch(), result.trainLoss(), checkpoints.lastUri());
        }
      } catch (TrainingDivergedException e) {
        reporter.failed(e.getMessage(), e.step());
      }
    }
  }

  /** Publishes the end of a job whose training was complete, as far as it is not published. */
  private static void finishAgain(Resumption from, Checkpoints checkpoints, JobReporter reporter)
      throws IOException {
    JobReporter.EndReported end = reporter.endReported();
    CheckpointStore.State s = from.state();
    if (!end.lastCheckpoint()) {
      checkpoints.announceLast(s.epoch(), s.trainLoss(), Reason.COMPLETED);
    }
    if (!end.finished()) {
      reporter.finished(
          Reason.COMPLETED, s.step(), s.epoch(), s.trainLoss(), checkpoints.lastUri());
    }
  }

  /** Saves a job's checkpoints and remembers the last one. */
  private final class Checkpoints {
    private final DatasetPrepared prepared;
    private final TrainingPlan plan;
    private final JobModel job;
    private final AdamW optimizer;
    private final LossScaler scaler;
    private final JobReporter reporter;
    private final JobControl control;
    private Path last;
    private long lastStep;

    Checkpoints(
        DatasetPrepared prepared,
        TrainingPlan plan,
        JobModel job,
        AdamW optimizer,
        LossScaler scaler,
        JobReporter reporter,
        Optional<Path> latest,
        long latestStep,
        JobControl control) {
      this.control = control;
      this.prepared = prepared;
      this.plan = plan;
      this.job = job;
      this.optimizer = optimizer;
      this.scaler = scaler;
      this.reporter = reporter;
      this.last = latest.orElse(null);
      this.lastStep = latest.isPresent() ? latestStep : -1;
    }

    void save(long step, double epoch, double loss, Reason finished) throws IOException {
      CheckpointStore.Saved saved =
          store.save(
              job.model(),
              job.tokenizerDir(),
              optimizer,
              new CheckpointStore.State(
                  prepared.jobId(), step, epoch, optimizer.steps(), loss, scaler.state()),
              prepared,
              job.peft());
      last = saved.directory();
      lastStep = step;
      reporter.checkpointSaved(saved, epoch, loss, finished, plan.evaluatesAt(step));
      Integer limit = prepared.spec().training().saveTotalLimit();
      if (limit != null) {
        // a checkpoint the evaluator will not look at waits for nothing
        store.prune(prepared.jobId(), limit, s -> plan.evaluatesAt(s) && control.keep(s));
      }
    }

    /**
     * Marks the end of a stopped job on {@code kft.checkpoints}: a checkpoint at the stop step, or
     * the one already there announced again as the last, so the evaluator knows training ended.
     */
    void finish(TrainingRun.Result result, Reason reason) throws IOException {
      if (result.step() > lastStep && result.step() > 0) {
        save(result.step(), result.epoch(), result.trainLoss(), reason);
      } else {
        announceLast(result.epoch(), result.trainLoss(), reason);
      }
    }

    /** Announces the checkpoint already there as the job's last. */
    void announceLast(double epoch, double loss, Reason reason) throws IOException {
      if (last != null) {
        reporter.checkpointSaved(
            store.describe(last, lastStep), epoch, loss, reason, plan.evaluatesAt(lastStep));
      }
    }

    /** Saves where a handed-over job stopped, so that its next trainer resumes from there. */
    void handOver(TrainingRun.Result result) throws IOException {
      if (result.step() > lastStep && result.step() > 0) {
        save(result.step(), result.epoch(), result.trainLoss(), null);
      }
    }

    String lastUri() {
      return last == null ? null : last.toUri().toString();
    }
  }
}
