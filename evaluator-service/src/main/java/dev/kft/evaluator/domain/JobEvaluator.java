package dev.kft.evaluator.domain;

import ai.djl.ndarray.NDManager;
import dev.kft.batch.Split;
import dev.kft.batch.TokenizedBatch;
import dev.kft.charts.ConfusionMatrixSvg;
import dev.kft.checkpoint.ModelSource;
import dev.kft.checkpoint.PeftCheckpoint;
import dev.kft.events.CheckpointEvaluated;
import dev.kft.events.CheckpointSaved;
import dev.kft.events.ConfusionMatrix;
import dev.kft.events.DatasetPrepared;
import dev.kft.events.Event;
import dev.kft.events.JobFailed;
import dev.kft.events.ModelCandidate;
import dev.kft.events.StopTraining;
import dev.kft.events.TrainingFinished.Reason;
import dev.kft.io.Sha256;
import dev.kft.json.Json;
import dev.kft.model.ModelLoader;
import dev.kft.nn.Precision;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Decides what one saved checkpoint means for its job: evaluates it on the validation split (once,
 * however often it is announced), ranks it, asks the trainer to stop when patience runs out, and
 * after the job's last checkpoint evaluates the chosen one on the test split and proposes it as the
 * model candidate. Metrics and confusion-matrix pictures are written to {@code
 * <job>/evaluations/<split>-step-<n>/} in the artifact store.
 */
public final class JobEvaluator {

  static final String SERVICE = "evaluator";

  /** Reads a split's batches of a job. */
  public interface BatchSource {
    List<TokenizedBatch> read(DatasetPrepared prepared, Split split);
  }

  /**
   * What to publish, and how much work it took.
   *
   * @param samples examples run through a model
   */
  public record Outcome(List<Event> events, long samples) {}

  private final ModelLoader loader;
  private final BatchSource source;

  public JobEvaluator(ModelLoader loader, BatchSource source) {
    this.loader = loader;
    this.source = source;
  }

  /** Handles {@code saved}, stored at {@code checkpoint}, and updates {@code state}. */
  public Outcome review(
      CheckpointSaved saved, Path checkpoint, DatasetPrepared prepared, JobState state)
      throws IOException {
    List<Event> events = new ArrayList<>();
    long samples = 0;
    if (state.failed() || state.candidatePublished()) {
      return new Outcome(events, samples);
    }
    if (saved.evaluated() && state.evaluation(saved.step()).isEmpty()) {
      List<TokenizedBatch> validation =
          state.batches(Split.VALIDATION, () -> source.read(prepared, Split.VALIDATION));
      SplitEvaluation.Result result = evaluate(checkpoint, prepared, validation, "eval_", false);
      samples += result.samples();
      BestModelTracker.Verdict verdict;
      try {
        verdict = state.record(saved.step(), result.metrics());
      } catch (IllegalArgumentException e) {
        state.failed(true);
        return new Outcome(failure(saved, e.getMessage()), samples);
      }
      CheckpointEvaluated evaluated = evaluated(saved, checkpoint, prepared, result, verdict);
      state.evaluated(evaluated);
      events.add(evaluated);
      if (verdict.stop()) {
        events.add(stop(saved, prepared, state));
      }
    }
    if (saved.last() && saved.finished() != Reason.CANCELLED && saved.finished() != Reason.FAILED) {
      CandidateWork candidate = candidate(saved, checkpoint, prepared, state);
      samples += candidate.samples();
      events.add(candidate.event());
      state.candidatePublished(true);
    }
    return new Outcome(events, samples);
  }

  private SplitEvaluation.Result evaluate(
      Path checkpoint,
      DatasetPrepared prepared,
      List<TokenizedBatch> batches,
      String prefix,
      boolean keepRows)
      throws IOException {
    if (batches.isEmpty()) {
      return new SplitEvaluation.Result(Map.of(), null, 0, List.of());
    }
    try (NDManager manager = NDManager.newBaseManager()) {
      ModelLoader.Loaded loaded =
          loader.load(
              new ModelLoader.Request(
                  checkpoint.toString(), true, Map.of(), prepared.labelNames(), 0),
              manager);
      if (prepared.spec().training().bf16()) {
        // evaluated as trained: the same products in bfloat16
        loaded.model().computeIn(Precision.BFLOAT16);
      }
      return SplitEvaluation.run(
          loaded.model(),
          batches,
          prepared.labelNames(),
          prefix,
          prepared.spec().training().perDeviceEvalBatchSize(),
          keepRows);
    }
  }

  private CheckpointEvaluated evaluated(
      CheckpointSaved saved,
      Path checkpoint,
      DatasetPrepared prepared,
      SplitEvaluation.Result result,
      BestModelTracker.Verdict verdict)
      throws IOException {
    ConfusionMatrix matrix = matrix(prepared, result);
    return new CheckpointEvaluated(
        Event.newId(),
        saved.jobId(),
        Instant.now(),
        saved.step(),
        saved.epoch(),
        saved.uri(),
        result.metrics(),
        matrix,
        write(checkpoint, "eval", saved.step(), result, matrix),
        verdict.best(),
        verdict.patienceLeft());
  }

  private record CandidateWork(ModelCandidate event, long samples) {}

  private CandidateWork candidate(
      CheckpointSaved saved, Path checkpoint, DatasetPrepared prepared, JobState state)
      throws IOException {
    boolean useBest = prepared.spec().training().loadBestModelAtEnd() && state.best().isPresent();
    CheckpointEvaluated chosen =
        useBest ? state.best().get() : state.evaluation(saved.step()).orElseThrow();
    Path dir = checkpoint.resolveSibling("checkpoint-" + chosen.step());
    List<TokenizedBatch> test = source.read(prepared, Split.TEST);
    SplitEvaluation.Result result = evaluate(dir, prepared, test, "test_", true);
    ConfusionMatrix matrix = matrix(prepared, result);
    String svg = write(dir, "test", chosen.step(), result, matrix);
    Path tokenizer = dir.resolve(ModelSource.TOKENIZER);
    String predictions =
        svg == null || !Files.isRegularFile(tokenizer)
            ? null
            : TestPredictions.write(
                    Path.of(URI.create(svg)).resolveSibling(TestPredictions.FILE),
                    result.rows(),
                    prepared.labelNames(),
                    tokenizer)
                .toUri()
                .toString();
    ModelCandidate event =
        new ModelCandidate(
            Event.newId(),
            saved.jobId(),
            Instant.now(),
            chosen.step(),
            chosen.checkpointUri(),
            Sha256.file(PeftCheckpoint.weightsOf(dir)),
            saved.trainableOnly(),
            saved.parameters(),
            prepared.datasetSha256(),
            prepared.labelNames(),
            chosen.metrics(),
            chosen.confusionMatrix(),
            chosen.confusionMatrixUri(),
            result.metrics(),
            matrix,
            svg,
            saved.finished(),
            predictions);
    return new CandidateWork(event, result.samples());
  }

  private static ConfusionMatrix matrix(DatasetPrepared prepared, SplitEvaluation.Result result) {
    if (result.confusion() == null) {
      return null;
    }
    return new ConfusionMatrix(
        prepared.labelNames(),
        Arrays.stream(result.confusion()).map(row -> Arrays.stream(row).boxed().toList()).toList());
  }

  /** Writes the split's metrics and confusion-matrix picture; returns the picture's URI. */
  private static String write(
      Path checkpoint, String split, long step, SplitEvaluation.Result result, ConfusionMatrix m)
      throws IOException {
    if (m == null) {
      return null;
    }
    Path dir = checkpoint.resolveSibling("evaluations").resolve(split + "-step-" + step);
    Files.createDirectories(dir);
    Json.mapper()
        .writerWithDefaultPrettyPrinter()
        .writeValue(dir.resolve(split + "_results.json").toFile(), result.metrics());
    Path svg = dir.resolve("confusion_matrix.svg");
    String title = split + " confusion matrix, step " + step;
    Files.writeString(
        svg,
        ConfusionMatrixSvg.render(m.labels(), result.confusion(), title),
        StandardCharsets.UTF_8);
    return svg.toUri().toString();
  }

  private static List<Event> failure(CheckpointSaved saved, String reason) {
    return List.of(
        new JobFailed(
            Event.newId(), saved.jobId(), Instant.now(), SERVICE, "evaluation", reason, null),
        new StopTraining(
            Event.newId(), saved.jobId(), Instant.now(), Reason.FAILED, reason, SERVICE));
  }

  private static StopTraining stop(
      CheckpointSaved saved, DatasetPrepared prepared, JobState state) {
    String detail =
        String.format(
            Locale.ROOT,
            "early stopping: %s has not improved on its best, %s at step %d, by more than %s in %d"
                + " evaluations",
            state.metric(),
            state.bestValue(),
            state.best().map(CheckpointEvaluated::step).orElse(-1L),
            prepared.spec().training().earlyStoppingThreshold(),
            prepared.spec().training().earlyStoppingPatience());
    return new StopTraining(
        Event.newId(), saved.jobId(), Instant.now(), Reason.EARLY_STOPPED, detail, SERVICE);
  }
}
