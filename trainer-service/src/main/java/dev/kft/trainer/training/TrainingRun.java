package dev.kft.trainer.training;

import ai.djl.engine.Engine;
import dev.kft.batch.TokenizedBatch;
import dev.kft.nn.DropoutMasks;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.function.BooleanSupplier;

/**
 * The training loop of one job: epochs over the train batches in an order reshuffled per epoch from
 * the seed, {@code gradient_accumulation_steps} batches per update, until the plan's last step or a
 * stop request. Every random choice derives from the seed and the step (the dropout RNG is reseeded
 * per update), so a run resumed from a checkpoint takes exactly the steps an uninterrupted run
 * takes.
 */
public final class TrainingRun {

  /**
   * Progress since the previous report.
   *
   * @param loss mean loss of the updates since the last report, skipped ones left out
   * @param lossScale float16 loss scaling's current scale, or null without it
   * @param skippedSteps updates skipped by loss scaling so far, or null without it
   */
  public record Progress(
      long step,
      long totalSteps,
      double epoch,
      double loss,
      double learningRate,
      double gradNorm,
      double samplesPerSecond,
      double tokensPerSecond,
      Double lossScale,
      Long skippedSteps) {}

  /** Receives the run's reports; checkpoints are written by the listener. */
  public interface Listener {
    void progress(Progress progress);

    void checkpoint(long step, double epoch, double trainLoss, boolean last) throws Exception;
  }

  /** How the run ended. */
  public record Result(boolean stopped, long step, double epoch, double trainLoss) {}

  private final TrainingPlan plan;
  private final TrainingStep step;
  private final List<TokenizedBatch> train;
  private final long seed;
  private final Listener listener;
  private final BooleanSupplier stopRequested;
  private long orderEpoch = -1;
  private List<Integer> epochOrder = List.of();

  public TrainingRun(
      TrainingPlan plan,
      TrainingStep step,
      List<TokenizedBatch> train,
      long seed,
      Listener listener,
      BooleanSupplier stopRequested) {
    this.plan = plan;
    this.step = step;
    this.train = List.copyOf(train);
    this.seed = seed;
    this.listener = listener;
    this.stopRequested = stopRequested;
  }

  /**
   * Runs from {@code done} completed updates (0 for a fresh start) to the end.
   *
   * @throws TrainingDivergedException when the loss stops being a finite number
   */
  public Result run(long done) throws Exception {
    int accumulation = plan.spec().gradientAccumulationSteps();
    double lastLoss = Double.NaN;
    double windowLoss = 0;
    long windowSteps = 0;
    long windowSamples = 0;
    long windowTokens = 0;
    long windowStart = System.nanoTime();
    for (long s = done; s < plan.totalSteps(); s++) {
      if (stopRequested.getAsBoolean()) {
        return new Result(true, s, plan.epochAt(s), lastLoss);
      }
      List<TokenizedBatch> micro = microBatches(s, accumulation);
      long stepSeed = seed * 1_000_003L + s;
      // the engine's generator draws dropout masks off the CPU; each step reseeds both so that a
      // resumed run draws what an uninterrupted one would
      Engine.getInstance().setRandomSeed((int) stepSeed);
      TrainingStep.Result r = step.run(micro, DropoutMasks.seeded(stepSeed));
      if (!Double.isFinite(r.loss()) && !r.skipped()) {
        throw new TrainingDivergedException(s + 1, lastLoss);
      }
      if (!r.skipped()) {
        lastLoss = r.loss();
        windowLoss += r.loss();
        windowSteps++;
      }
      for (TokenizedBatch b : micro) {
        windowSamples += b.rows();
        windowTokens += b.tokenCount();
      }
      long finished = s + 1;
      LossScaler scaler = step.scaler();
      if (plan.logsAt(finished)) {
        double seconds = Math.max(1e-9, (System.nanoTime() - windowStart) / 1e9);
        listener.progress(
            new Progress(
                finished,
                plan.totalSteps(),
                plan.epochAt(finished),
                windowSteps == 0 ? Double.NaN : windowLoss / windowSteps,
                r.learningRate(),
                r.gradNorm(),
                windowSamples / seconds,
                windowTokens / seconds,
                scaler.enabled() ? scaler.scale() : null,
                scaler.enabled() ? scaler.skippedSteps() : null));
        windowLoss = 0;
        windowSteps = windowSamples = windowTokens = 0;
        windowStart = System.nanoTime();
      }
      if (plan.savesAt(finished)) {
        listener.checkpoint(
            finished, plan.epochAt(finished), lastLoss, finished == plan.totalSteps());
      }
    }
    return new Result(false, plan.totalSteps(), plan.epochAt(plan.totalSteps()), lastLoss);
  }

  /** The epoch's batch order, shuffled once per epoch rather than at every update. */
  private List<Integer> orderOf(long epoch) {
    if (epoch != orderEpoch) {
      List<Integer> order = new ArrayList<>();
      for (int i = 0; i < train.size(); i++) {
        order.add(i);
      }
      Collections.shuffle(order, new Random(seed * 31 + epoch));
      epochOrder = order;
      orderEpoch = epoch;
    }
    return epochOrder;
  }

  /** The batches of update {@code s} (0-based): a slice of its epoch's shuffled order. */
  List<TokenizedBatch> microBatches(long s, int accumulation) {
    long epoch = s / plan.updatesPerEpoch();
    int within = (int) (s % plan.updatesPerEpoch());
    List<Integer> order = orderOf(epoch);
    List<TokenizedBatch> micro = new ArrayList<>();
    for (int k = 0; k < accumulation; k++) {
      micro.add(train.get(order.get((within * accumulation + k) % order.size())));
    }
    return micro;
  }
}
