package dev.kft.evaluator.domain;

import dev.kft.batch.Split;
import dev.kft.batch.TokenizedBatch;
import dev.kft.events.CheckpointEvaluated;
import dev.kft.events.EvaluationEvent;
import dev.kft.events.ModelCandidate;
import dev.kft.job.TrainingSpec;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * What the evaluator knows of one job: the best-model tracker, the checkpoints already evaluated,
 * whether it asked the trainer to stop and whether the candidate went out. After a restart it is
 * rebuilt by replaying the job's own events from {@code kft.evaluations}, so patience and the best
 * checkpoint survive.
 */
public final class JobState {

  private final BestModelTracker tracker;
  private final Map<Long, CheckpointEvaluated> evaluated = new LinkedHashMap<>();
  private final Map<Split, List<TokenizedBatch>> batches = new EnumMap<>(Split.class);
  private boolean stopRequested;
  private boolean candidatePublished;
  private boolean failed;

  private JobState(TrainingSpec spec) {
    this.tracker =
        new BestModelTracker(
            Objects.requireNonNullElse(spec.metricForBestModel(), "loss"),
            spec.greaterIsBetter(),
            spec.earlyStoppingPatience(),
            spec.earlyStoppingThreshold());
  }

  /** The state after the job's earlier events, in the order they were published. */
  public static JobState replay(TrainingSpec spec, List<EvaluationEvent> history) {
    JobState state = new JobState(spec);
    for (EvaluationEvent e : history) {
      if (e instanceof CheckpointEvaluated c && !state.evaluated.containsKey(c.step())) {
        state.record(c.step(), c.metrics());
        state.evaluated.put(c.step(), c);
      } else if (e instanceof ModelCandidate) {
        state.candidatePublished = true;
      }
    }
    return state;
  }

  /**
   * Takes a checkpoint's validation metrics; an empty map (no validation split) ranks nothing.
   *
   * @throws IllegalArgumentException when {@code metric_for_best_model} is not among them
   */
  public BestModelTracker.Verdict record(long step, Map<String, Double> metrics) {
    if (metrics.isEmpty()) {
      return new BestModelTracker.Verdict(true, -1, false);
    }
    BestModelTracker.Verdict verdict = tracker.record(step, metrics);
    boolean newStop = verdict.stop() && !stopRequested;
    stopRequested |= verdict.stop();
    return new BestModelTracker.Verdict(verdict.best(), verdict.patienceLeft(), newStop);
  }

  public void evaluated(CheckpointEvaluated event) {
    evaluated.put(event.step(), event);
  }

  public Optional<CheckpointEvaluated> evaluation(long step) {
    return Optional.ofNullable(evaluated.get(step));
  }

  /** The best checkpoint's evaluation so far, when one was ranked. */
  public Optional<CheckpointEvaluated> best() {
    return evaluation(tracker.bestStep());
  }

  public String metric() {
    return tracker.metric();
  }

  public Double bestValue() {
    return tracker.bestValue();
  }

  /** The split's batches, read once per job. */
  public List<TokenizedBatch> batches(Split split, Supplier<List<TokenizedBatch>> read) {
    return batches.computeIfAbsent(split, s -> read.get());
  }

  public boolean candidatePublished() {
    return candidatePublished;
  }

  public void candidatePublished(boolean published) {
    candidatePublished = published;
  }

  public boolean failed() {
    return failed;
  }

  public void failed(boolean value) {
    failed = value;
  }
}
