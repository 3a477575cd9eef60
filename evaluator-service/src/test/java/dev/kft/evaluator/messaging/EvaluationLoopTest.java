package dev.kft.evaluator.messaging;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kft.batch.BatchCodec;
import dev.kft.batch.Split;
import dev.kft.batch.TokenizedBatch;
import dev.kft.events.CheckpointEvaluated;
import dev.kft.events.CheckpointSaved;
import dev.kft.events.DatasetPrepared;
import dev.kft.events.DatasetPrepared.OffsetRange;
import dev.kft.events.DatasetPrepared.SplitReport;
import dev.kft.events.DatasetPrepared.TokenLengthStats;
import dev.kft.events.Event;
import dev.kft.events.EventDeserializer;
import dev.kft.events.JobFailed;
import dev.kft.events.ModelCandidate;
import dev.kft.events.ParameterCount;
import dev.kft.events.StopTraining;
import dev.kft.events.Topics;
import dev.kft.events.TrainingFinished.Reason;
import dev.kft.job.JobSpec;
import dev.kft.job.JobSpecs;
import dev.kft.job.ValidatedSpec;
import dev.kft.testing.KafkaBrokerResource;
import dev.kft.testing.KafkaTestClient;
import dev.kft.testing.TinyCheckpoint;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Checkpoints whose predictions are fixed by their classifier bias (weights zero), so every metric
 * is known in advance: each figure is checked against a closed form computed here, and early
 * stopping against a metric history chosen by the test.
 */
@QuarkusTest
@WithTestResource(KafkaBrokerResource.class)
@Tag("e2e")
class EvaluationLoopTest {

  private static final Duration WAIT = Duration.ofSeconds(120);
  private static final Path ARTIFACTS = Path.of("target/artifacts");
  private static final Path MODEL = Path.of("../models/bert-base-chinese");
  // validation: 15 neg then 9 pos; test: 10 neg then 6 pos
  private static final int[] VALIDATION = {15, 9};
  private static final int[] TEST = {10, 6};

  private final KafkaTestClient kafka = KafkaTestClient.ofTestBroker();

  @Inject EvaluationLoop loop;

  /** One job's published batches and report, and its checkpoints. */
  private final class Job {
    final String id = UUID.randomUUID().toString();
    final DatasetPrepared prepared;

    Job(String training) {
      Map<String, SplitReport> splits = new HashMap<>();
      splits.put("validation", split(Split.VALIDATION, VALIDATION));
      splits.put("test", split(Split.TEST, TEST));
      ValidatedSpec checked =
          JobSpecs.validate(
              JobSpecs.parse(
                  """
          model: {source: bert-base-chinese}
          dataset: {uri: d.csv}
          training: {eval_strategy: steps, eval_steps: 10, save_steps: 10%s}
          registry: {model_name: r}
          """
                      .formatted(training.isEmpty() ? "" : ", " + training)));
      assertTrue(checked.valid(), checked.describeProblems());
      JobSpec spec = checked.spec();
      prepared =
          new DatasetPrepared(
              Event.newId(),
              id,
              Instant.now(),
              "dataset-sha",
              "source-sha",
              "tokenizer-sha",
              List.of("neg", "pos"),
              16,
              "longest",
              40,
              Map.of(),
              splits,
              spec,
              Map.of("source", "tiny"),
              null,
              null);
    }

    private SplitReport split(Split split, int[] counts) {
      int rows = counts[0] + counts[1];
      int[] labels = new int[rows];
      for (int r = counts[0]; r < rows; r++) {
        labels[r] = 1;
      }
      long from = -1;
      long until = -1;
      int batchSize = 8;
      for (int b = 0; b * batchSize < rows; b++) {
        int n = Math.min(batchSize, rows - b * batchSize);
        int seq = 6;
        int[] ids = new int[n * seq];
        byte[] mask = new byte[n * seq];
        for (int i = 0; i < ids.length; i++) {
          ids[i] = 101 + (i * 37) % 5000;
          mask[i] = 1;
        }
        int[] rowLabels = new int[n];
        System.arraycopy(labels, b * batchSize, rowLabels, 0, n);
        TokenizedBatch batch =
            new TokenizedBatch(
                id, split, b, n, seq, ids, mask, new byte[n * seq], rowLabels, new int[n]);
        RecordMetadata m = kafka.publishRaw(Topics.BATCHES, id, BatchCodec.encode(batch));
        from = from < 0 ? m.offset() : from;
        until = m.offset() + 1;
      }
      return new SplitReport(
          rows,
          0,
          Map.of("neg", (long) counts[0], "pos", (long) counts[1]),
          new TokenLengthStats(6, 6, 6, 6, 6, 6, 0, 0),
          batchSize,
          (rows + batchSize - 1) / batchSize,
          new OffsetRange(0, from, until));
    }

    /** Writes a checkpoint that always predicts from {@code bias} and announces it. */
    void checkpoint(long step, float neg, float pos, Reason finished) throws Exception {
      checkpoint(step, neg, pos, finished, null);
    }

    /** As above, saying whether the step is an evaluation point (null: as older kft did not). */
    void checkpoint(long step, float neg, float pos, Reason finished, Boolean evaluationPoint)
        throws Exception {
      Path dir = ARTIFACTS.resolve(id).resolve("checkpoint-" + step);
      TinyCheckpoint.write(dir, MODEL, prepared, step, new float[] {neg, pos});
      kafka.publish(
          Topics.CHECKPOINTS,
          new CheckpointSaved(
              Event.newId(),
              id,
              Instant.now(),
              step,
              step / 30.0,
              dir.toAbsolutePath().toUri().toString(),
              "sha",
              1,
              false,
              new ParameterCount(10, 10),
              0.5,
              finished,
              evaluationPoint));
    }

    CheckpointEvaluated awaitEvaluation(long step) {
      return (CheckpointEvaluated)
          kafka
              .awaitEvents(
                  Topics.EVALUATIONS,
                  e ->
                      e.jobId().equals(id)
                          && e instanceof CheckpointEvaluated c
                          && c.step() == step,
                  1,
                  WAIT)
              .get(0);
    }

    /** Every event of this job on {@code topic}, once {@code sentinel}'s evaluation is there. */
    List<Event> eventsBefore(String topic, Job sentinel) throws Exception {
      sentinel.checkpoint(10, 0, 0, null);
      sentinel.awaitEvaluation(10);
      EventDeserializer events = new EventDeserializer();
      List<Event> mine = new ArrayList<>();
      for (var r : kafka.awaitRawRecords(topic, r -> false, Duration.ofSeconds(3))) {
        if (id.equals(r.key())) {
          mine.add(events.deserialize(r.topic(), r.value()));
        }
      }
      return mine;
    }
  }

  /** Mean cross-entropy of always answering softmax(neg, pos) on {@code counts}. */
  private static double loss(double neg, double pos, int[] counts) {
    double lse = Math.log(Math.exp(neg) + Math.exp(pos));
    return (counts[0] * (lse - neg) + counts[1] * (lse - pos)) / (counts[0] + counts[1]);
  }

  /**
   * As Hugging Face's Trainer: a checkpoint saved by save_strategy alone is not evaluated, and
   * neither counts against patience; the job's last checkpoint always is.
   */
  @Test
  void onlyEvaluationPointsAndTheLastCheckpointAreEvaluated() throws Exception {
    Job job = new Job("metric_for_best_model: loss, early_stopping_patience: 1");
    job.checkpoint(10, 0, 0, null, false);
    job.checkpoint(20, 0, 0, null, true);
    assertEquals(1, job.awaitEvaluation(20).patienceLeft(), "step 10 was not evaluated");
    job.checkpoint(25, 0, 0, Reason.COMPLETED, false);
    job.awaitEvaluation(25);
    List<Long> evaluated =
        kafka.awaitEvents(Topics.EVALUATIONS, e -> e.jobId().equals(job.id), 3, WAIT).stream()
            .filter(e -> e instanceof CheckpointEvaluated)
            .map(e -> ((CheckpointEvaluated) e).step())
            .toList();
    assertEquals(List.of(20L, 25L), evaluated);
  }

  @Test
  void stopsAfterExactlyPatienceEvaluationsAndProposesTheBestCheckpoint() throws Exception {
    Job job =
        new Job(
            "load_best_model_at_end: true, metric_for_best_model: loss, early_stopping_patience: 2");
    job.checkpoint(10, 0, 0, null);
    CheckpointEvaluated first = job.awaitEvaluation(10);
    assertEquals(loss(0, 0, VALIDATION), first.metrics().get("eval_loss"), 1e-6);
    assertTrue(first.best());
    assertEquals(2, first.patienceLeft());

    job.checkpoint(20, 1, 0, null);
    job.checkpoint(20, 1, 0, null);
    CheckpointEvaluated best = job.awaitEvaluation(20);
    assertEquals(loss(1, 0, VALIDATION), best.metrics().get("eval_loss"), 1e-6);
    assertEquals(15.0 / 24, best.metrics().get("eval_accuracy"), 1e-12);
    assertEquals(0.0, best.metrics().get("eval_recall_pos"), 0.0);
    assertEquals(List.of(List.of(15L, 0L), List.of(9L, 0L)), best.confusionMatrix().counts());
    assertTrue(best.best());
    assertTrue(
        Files.readString(Path.of(java.net.URI.create(best.confusionMatrixUri()))).contains("<svg"));

    job.checkpoint(30, 3, 0, null);
    CheckpointEvaluated worse = job.awaitEvaluation(30);
    assertFalse(worse.best());
    assertEquals(1, worse.patienceLeft());

    loop.forgetJobs(); // as a restart would: patience must come back from kft.evaluations
    job.checkpoint(40, -1, 0, null);
    assertEquals(0, job.awaitEvaluation(40).patienceLeft());
    StopTraining stop =
        (StopTraining)
            kafka.awaitEvents(Topics.CONTROL, e -> e.jobId().equals(job.id), 1, WAIT).get(0);
    assertEquals(Reason.EARLY_STOPPED, stop.reason());
    assertTrue(stop.detail().contains("eval_loss"), stop.detail());

    job.checkpoint(45, 0, 0, Reason.EARLY_STOPPED);
    job.checkpoint(45, 0, 0, Reason.EARLY_STOPPED);
    ModelCandidate candidate =
        (ModelCandidate)
            kafka
                .awaitEvents(
                    Topics.EVALUATIONS,
                    e -> e.jobId().equals(job.id) && e instanceof ModelCandidate,
                    1,
                    WAIT)
                .get(0);
    assertEquals(20, candidate.step());
    assertEquals(best.metrics(), candidate.evalMetrics());
    assertEquals(loss(1, 0, TEST), candidate.testMetrics().get("test_loss"), 1e-6);
    assertEquals(10.0 / 16, candidate.testMetrics().get("test_accuracy"), 1e-12);
    assertEquals(
        List.of(List.of(10L, 0L), List.of(6L, 0L)), candidate.testConfusionMatrix().counts());
    assertEquals("dataset-sha", candidate.datasetSha256());

    List<Event> evaluations = job.eventsBefore(Topics.EVALUATIONS, new Job(""));
    assertEquals(
        List.of(10L, 20L, 30L, 40L, 45L),
        evaluations.stream()
            .filter(e -> e instanceof CheckpointEvaluated)
            .map(e -> ((CheckpointEvaluated) e).step())
            .toList(),
        "each checkpoint evaluated once, duplicates suppressed");
    assertEquals(1, evaluations.stream().filter(e -> e instanceof ModelCandidate).count());
    assertEquals(1, job.eventsBefore(Topics.CONTROL, new Job("")).size(), "one stop request");
    given()
        .get("/q/metrics")
        .then()
        .body(containsString("kft_evaluator_evaluations_total"))
        .body(containsString("kft_evaluator_early_stops_total"));
  }

  @Test
  void aMetricTheEvaluationDoesNotProduceFailsTheJob() throws Exception {
    Job job = new Job("metric_for_best_model: bogus, early_stopping_patience: 1");
    job.checkpoint(10, 0, 0, null);
    JobFailed failed =
        (JobFailed)
            kafka
                .awaitEvents(
                    Topics.JOB_EVENTS,
                    e -> e.jobId().equals(job.id) && e instanceof JobFailed,
                    1,
                    WAIT)
                .get(0);
    assertTrue(failed.reason().contains("'eval_bogus'"), failed.reason());
    assertTrue(failed.reason().contains("eval_accuracy"), "names the metrics there are");
    StopTraining stop =
        (StopTraining)
            kafka.awaitEvents(Topics.CONTROL, e -> e.jobId().equals(job.id), 1, WAIT).get(0);
    assertEquals(Reason.FAILED, stop.reason());
  }

  @Test
  void aCheckpointOutsideTheArtifactStoreIsRefused() throws Exception {
    Job job = new Job("");
    kafka.publish(
        Topics.CHECKPOINTS,
        new CheckpointSaved(
            Event.newId(),
            job.id,
            Instant.now(),
            10,
            1,
            "file:///etc/",
            "sha",
            1,
            false,
            new ParameterCount(1, 1),
            0.5,
            null,
            null));
    JobFailed failed =
        (JobFailed)
            kafka
                .awaitEvents(
                    Topics.JOB_EVENTS,
                    e -> e.jobId().equals(job.id) && e instanceof JobFailed,
                    1,
                    WAIT)
                .get(0);
    assertTrue(failed.reason().contains("/etc"), failed.reason());
  }
}
