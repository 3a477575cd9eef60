package dev.kft.trainer.messaging;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kft.batch.BatchCodec;
import dev.kft.batch.Split;
import dev.kft.batch.TokenizedBatch;
import dev.kft.events.CheckpointEvaluated;
import dev.kft.events.CheckpointSaved;
import dev.kft.events.DatasetPrepared;
import dev.kft.events.Event;
import dev.kft.events.JobFailed;
import dev.kft.events.StopTraining;
import dev.kft.events.Topics;
import dev.kft.events.TrainingFinished;
import dev.kft.events.TrainingProgress;
import dev.kft.events.TrainingStarted;
import dev.kft.job.JobSpecs;
import dev.kft.messaging.KafkaConnection;
import dev.kft.messaging.TopicScan;
import dev.kft.testing.KafkaBrokerResource;
import dev.kft.testing.KafkaTestClient;
import dev.kft.testing.TinyDatasets;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Jobs go from DatasetPrepared to trained checkpoints over the real broker. */
@QuarkusTest
@WithTestResource(KafkaBrokerResource.class)
@Tag("e2e")
class TrainingLoopTest {

  private static final Duration WAIT = Duration.ofSeconds(180);

  private final KafkaTestClient kafka = KafkaTestClient.ofTestBroker();

  /** Publishes 12 batches of a learnable task (label 1 when token 2769 occurs) and the report. */
  private String prepare(String source, String training) {
    return prepare(UUID.randomUUID().toString(), source, training);
  }

  private String prepare(String jobId, String source, String training) {
    Random random = new Random(1);
    long from = -1;
    long until = -1;
    for (int b = 0; b < 12; b++) {
      int rows = 8;
      int seq = 8;
      int[] ids = new int[rows * seq];
      byte[] mask = new byte[rows * seq];
      int[] labels = new int[rows];
      for (int r = 0; r < rows; r++) {
        labels[r] = random.nextInt(2);
        for (int c = 0; c < seq; c++) {
          ids[r * seq + c] = c == 0 ? 101 : 3000 + random.nextInt(200);
          mask[r * seq + c] = 1;
        }
        if (labels[r] == 1) {
          ids[r * seq + 1 + random.nextInt(seq - 1)] = 2769;
        }
      }
      TokenizedBatch batch =
          new TokenizedBatch(
              jobId,
              Split.TRAIN,
              b,
              rows,
              seq,
              ids,
              mask,
              new byte[rows * seq],
              labels,
              new int[rows]);
      RecordMetadata m = kafka.publishRaw(Topics.BATCHES, jobId, BatchCodec.encode(batch));
      from = from < 0 ? m.offset() : from;
      until = m.offset() + 1;
    }
    var spec =
        JobSpecs.validate(
                JobSpecs.parse(
                    """
        model:
          source: %s
          init: random
          config_overrides: {num_hidden_layers: 1, hidden_size: 32, num_attention_heads: 2,
            intermediate_size: 64}
        dataset: {uri: d.csv}
        training: {learning_rate: 0.01, logging_steps: 4, %s}
        registry: {model_name: r}
        """
                        .formatted(source, training)))
            .spec();
    kafka.publish(Topics.JOB_EVENTS, TinyDatasets.trainOnly(jobId, spec, 128, from, until));
    return jobId;
  }

  private Event awaitEnd(String jobId) {
    return kafka
        .awaitEvents(
            Topics.JOB_EVENTS,
            e ->
                e.jobId().equals(jobId)
                    && (e instanceof TrainingFinished || e instanceof JobFailed),
            1,
            WAIT)
        .get(0);
  }

  /** The job's TrainingStarted and its 18 progress reports (72 steps, one every 4). */
  private List<Event> startedAndProgress(String jobId) {
    return kafka.awaitEvents(
        Topics.JOB_EVENTS,
        e ->
            e.jobId().equals(jobId)
                && (e instanceof TrainingStarted || e instanceof TrainingProgress),
        19,
        WAIT);
  }

  @Test
  void aJobTrainsCheckpointsAndFinishes() {
    String jobId =
        prepare("bert-base-chinese", "num_train_epochs: 6, save_strategy: steps, save_steps: 24");
    TrainingFinished finished = assertInstanceOf(TrainingFinished.class, awaitEnd(jobId));
    assertEquals(TrainingFinished.Reason.COMPLETED, finished.reason());
    assertEquals(72, finished.step(), "6 epochs of 12 batches");
    List<Event> events = startedAndProgress(jobId);
    TrainingStarted started = assertInstanceOf(TrainingStarted.class, events.get(0));
    assertEquals("float32", started.precision());
    assertEquals(started.trainableParameters().total(), started.trainableParameters().trainable());
    List<TrainingProgress> progress =
        events.stream()
            .filter(e -> e instanceof TrainingProgress)
            .map(e -> (TrainingProgress) e)
            .toList();
    assertTrue(
        progress.get(progress.size() - 1).loss() < 0.5 * progress.get(0).loss(),
        "loss fell: " + progress.get(0).loss() + " -> " + progress.get(progress.size() - 1).loss());
    List<CheckpointSaved> saved =
        kafka.awaitEvents(Topics.CHECKPOINTS, e -> e.jobId().equals(jobId), 3, WAIT).stream()
            .map(e -> (CheckpointSaved) e)
            .toList();
    assertEquals(List.of(24L, 48L, 72L), saved.stream().map(CheckpointSaved::step).toList());
    assertEquals(
        Arrays.asList(null, null, TrainingFinished.Reason.COMPLETED),
        saved.stream().map(CheckpointSaved::finished).toList());
    assertEquals(started.trainableParameters(), saved.get(2).parameters());
    assertTrue(
        Files.isRegularFile(
            Path.of(URI.create(saved.get(2).uri())).resolve(CheckpointSaved.DATASET_FILE)));
    given()
        .get("/q/metrics")
        .then()
        .body(containsString("kft_trainer_checkpoints_total"))
        .body(containsString("kft_trainer_step_duration_seconds_count"))
        .body(containsString("kft_trainer_checkpoint_duration_seconds_count"))
        .body(containsString("kft_trainer_resident_memory_bytes"))
        .body(not(containsString("job_id=\"" + jobId)));
  }

  @Test
  void saveTotalLimitSparesTheBestAndTheUnevaluatedCheckpoints() throws Exception {
    String jobId = UUID.randomUUID().toString();
    for (long step : new long[] {24, 48}) {
      kafka.publish(
          Topics.EVALUATIONS,
          new CheckpointEvaluated(
              Event.newId(),
              jobId,
              Instant.now(),
              step,
              1,
              "file:///x",
              Map.of("eval_loss", 0.5),
              null,
              null,
              step == 24,
              1));
    }
    prepare(
        jobId,
        "bert-base-chinese",
        "num_train_epochs: 6, eval_strategy: steps, eval_steps: 24, save_steps: 24,"
            + " save_total_limit: 1");
    assertInstanceOf(TrainingFinished.class, awaitEnd(jobId));
    assertEquals(
        List.of("checkpoint-24", "checkpoint-72"),
        checkpoints(jobId),
        "48 was evaluated and not the best; 24 is the best, 72 the latest");
  }

  /**
   * eval_strategy and save_strategy count as transformers counts them (12 updates an epoch here):
   * per epoch, every N steps, or not at all, a checkpoint at every evaluation point and at the end.
   */
  @Test
  void strategiesPlaceCheckpointsAndEvaluationPoints() {
    String epochs =
        prepare(
            "bert-base-chinese", "num_train_epochs: 3, eval_strategy: epoch, save_strategy: epoch");
    assertEquals(List.of("12 eval", "24 eval", "36 eval"), points(epochs, 3));
    String mixed =
        prepare(
            "bert-base-chinese",
            "num_train_epochs: 2, eval_strategy: steps, eval_steps: 8, save_strategy: epoch");
    assertEquals(List.of("8 eval", "12", "16 eval", "24 eval"), points(mixed, 4));
    String none =
        prepare(
            "bert-base-chinese", "num_train_epochs: 2, eval_strategy: 'no', save_strategy: 'no'");
    assertEquals(List.of("24"), points(none, 1));
  }

  /** The job's {@code count} checkpoints, the last ending it: step, and whether to evaluate it. */
  private List<String> points(String jobId, int count) {
    assertInstanceOf(TrainingFinished.class, awaitEnd(jobId));
    List<CheckpointSaved> saved =
        kafka.awaitEvents(Topics.CHECKPOINTS, e -> e.jobId().equals(jobId), count, WAIT).stream()
            .map(e -> (CheckpointSaved) e)
            .toList();
    assertTrue(saved.get(count - 1).last(), "the last checkpoint ends the job");
    return saved.stream()
        .map(c -> c.step() + (Boolean.TRUE.equals(c.evaluationPoint()) ? " eval" : ""))
        .toList();
  }

  /** Without evaluations (eval_strategy no) no checkpoint waits for one: the limit holds. */
  @Test
  void saveTotalLimitHoldsWhenNothingIsEvaluated() throws Exception {
    String jobId =
        prepare("bert-base-chinese", "num_train_epochs: 6, save_steps: 24, save_total_limit: 1");
    assertInstanceOf(TrainingFinished.class, awaitEnd(jobId));
    assertEquals(List.of("checkpoint-72"), checkpoints(jobId));
  }

  private static List<String> checkpoints(String jobId) throws Exception {
    try (var dirs = Files.list(Path.of("target/artifacts", jobId))) {
      return dirs.map(p -> p.getFileName().toString())
          .filter(n -> n.startsWith("checkpoint-"))
          .sorted()
          .toList();
    }
  }

  @Test
  void stopTrainingEndsTheJobWithItsReason() {
    String jobId = prepare("bert-base-chinese", "num_train_epochs: 500");
    kafka.awaitEvents(
        Topics.JOB_EVENTS, e -> e.jobId().equals(jobId) && e instanceof TrainingProgress, 1, WAIT);
    cancel(jobId, "test");
    TrainingFinished finished = assertInstanceOf(TrainingFinished.class, awaitEnd(jobId));
    assertEquals(TrainingFinished.Reason.CANCELLED, finished.reason());
    assertTrue(finished.step() < 6000);
    CheckpointSaved last =
        (CheckpointSaved)
            kafka
                .awaitEvents(
                    Topics.CHECKPOINTS,
                    e -> e.jobId().equals(jobId) && ((CheckpointSaved) e).last(),
                    1,
                    WAIT)
                .get(0);
    assertEquals(TrainingFinished.Reason.CANCELLED, last.finished());
    assertEquals(finished.step(), last.step(), "a checkpoint at the step training stopped");
  }

  @Test
  void aStopAskedBeforeTheJobStartedIsHonouredWhenItStarts() {
    String jobId = UUID.randomUUID().toString();
    cancel(jobId, "cancelled while it waited for a trainer");
    prepare(jobId, "bert-base-chinese", "num_train_epochs: 500");
    TrainingFinished finished = assertInstanceOf(TrainingFinished.class, awaitEnd(jobId));
    assertEquals(TrainingFinished.Reason.CANCELLED, finished.reason());
    assertTrue(finished.step() <= 1, "stopped at step " + finished.step());
  }

  /**
   * A trainer that died after its final checkpoint was in place, before announcing it: when the job
   * is read again, the checkpoint is announced as the last and the job finishes, once.
   */
  @Test
  void aJobWhoseFinalCheckpointWasNeverAnnouncedFinishesOnceWhenReadAgain() throws Exception {
    String source = completedJob();
    String jobId = UUID.randomUUID().toString();
    copyCheckpoint(source, jobId, 12, false);
    prepare(jobId, "bert-base-chinese", RESUMABLE);
    TrainingFinished finished = assertInstanceOf(TrainingFinished.class, awaitEnd(jobId));
    assertEquals(12, finished.step());
    CheckpointSaved last =
        (CheckpointSaved)
            kafka.awaitEvents(Topics.CHECKPOINTS, e -> e.jobId().equals(jobId), 1, WAIT).get(0);
    assertEquals(12, last.step());
    assertEquals(TrainingFinished.Reason.COMPLETED, last.finished());
    Thread.sleep(3000);
    assertEquals(
        List.of("TrainingFinished"),
        trainerFacts(jobId).stream().map(e -> e.getClass().getSimpleName()).toList(),
        "nothing else, and nothing twice");
  }

  @Test
  void aDamagedLatestCheckpointIsPassedOverForTheOneBeforeIt() throws Exception {
    String source = completedJob();
    String jobId = UUID.randomUUID().toString();
    copyCheckpoint(source, jobId, 4, false);
    copyCheckpoint(source, jobId, 8, true);
    prepare(jobId, "bert-base-chinese", RESUMABLE);
    assertInstanceOf(TrainingFinished.class, awaitEnd(jobId));
    TrainingStarted started =
        (TrainingStarted)
            kafka
                .awaitEvents(
                    Topics.JOB_EVENTS,
                    e -> e.jobId().equals(jobId) && e instanceof TrainingStarted,
                    1,
                    WAIT)
                .get(0);
    assertEquals(4, started.resumedFromStep());
  }

  private static final String RESUMABLE =
      "num_train_epochs: 1, save_strategy: steps, save_steps: 4";

  private static String completedJob;

  /** A job trained to its end with checkpoints at steps 4, 8 and 12. */
  private String completedJob() {
    if (completedJob == null) {
      completedJob = prepare("bert-base-chinese", RESUMABLE);
      assertInstanceOf(TrainingFinished.class, awaitEnd(completedJob));
    }
    return completedJob;
  }

  /** Publishes alice's request to cancel the job. */
  private void cancel(String jobId, String detail) {
    kafka.publish(
        Topics.CONTROL,
        new StopTraining(
            Event.newId(),
            jobId,
            Instant.now(),
            TrainingFinished.Reason.CANCELLED,
            detail,
            "alice"));
  }

  /** What the trainer published about a job on {@code kft.job-events}. */
  private static List<Event> trainerFacts(String jobId) {
    List<Event> facts = new ArrayList<>();
    TopicScan.events(
        KafkaConnection.plaintext(KafkaBrokerResource.broker().bootstrapServers()),
        Topics.JOB_EVENTS,
        WAIT,
        (key, e) -> {
          if (e.jobId().equals(jobId) && !(e instanceof DatasetPrepared)) {
            facts.add(e);
          }
        });
    return facts;
  }

  /** Copies a checkpoint of one job into another's directory, its weights cut short if damaged. */
  private static void copyCheckpoint(String from, String to, long step, boolean damaged)
      throws Exception {
    Path source = Path.of("target/artifacts", from, "checkpoint-" + step);
    Path target = Files.createDirectories(Path.of("target/artifacts", to, "checkpoint-" + step));
    try (var files = Files.list(source)) {
      for (Path f : files.toList()) {
        Files.copy(f, target.resolve(f.getFileName()));
      }
    }
    if (damaged) {
      Path weights = target.resolve("model.safetensors");
      Files.write(weights, Arrays.copyOf(Files.readAllBytes(weights), 1000));
    }
  }

  @Test
  void aMissingModelFailsTheJobNamingIt() {
    String jobId = prepare("no-such-model", "num_train_epochs: 1");
    JobFailed failed = assertInstanceOf(JobFailed.class, awaitEnd(jobId));
    assertTrue(failed.reason().contains("'no-such-model' does not exist"), failed.reason());
    assertEquals("trainer", failed.service());
  }

  /** bfloat16 mixed precision trains the same task as far, and the job says it ran in it. */
  @Test
  void aBf16JobTrainsAndSaysSo() {
    String jobId = prepare("bert-base-chinese", "num_train_epochs: 6, save_steps: 72, bf16: true");
    TrainingFinished finished = assertInstanceOf(TrainingFinished.class, awaitEnd(jobId));
    assertEquals(72, finished.step());
    List<Event> events = startedAndProgress(jobId);
    assertEquals("bf16", assertInstanceOf(TrainingStarted.class, events.get(0)).precision());
    double first = ((TrainingProgress) events.get(1)).loss();
    double last = ((TrainingProgress) events.get(events.size() - 1)).loss();
    assertTrue(last < 0.5 * first, "loss fell: " + first + " -> " + last);
  }

  @Test
  void anFp16JobOnACpuFailsNamingTheSetting() {
    String jobId = prepare("bert-base-chinese", "num_train_epochs: 1, fp16: true");
    JobFailed failed = assertInstanceOf(JobFailed.class, awaitEnd(jobId));
    assertTrue(
        failed.reason().startsWith("training.fp16: float16 mixed precision needs a CUDA GPU"),
        failed.reason());
  }
}
