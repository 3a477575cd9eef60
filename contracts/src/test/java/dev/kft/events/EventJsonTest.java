package dev.kft.events;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kft.events.DatasetPrepared.OffsetRange;
import dev.kft.events.DatasetPrepared.SplitReport;
import dev.kft.events.DatasetPrepared.TokenLengthStats;
import dev.kft.events.TrainingFinished.Reason;
import dev.kft.job.JobSpecs;
import dev.kft.job.Problem;
import dev.kft.json.Json;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("unit")
class EventJsonTest {

  private static final Instant AT = Instant.parse("2026-11-29T10:15:30.123456Z");
  private static final String JOB = "job-1";

  private final EventSerializer serializer = new EventSerializer();
  private final EventDeserializer deserializer = new EventDeserializer();

  static List<Event> oneOfEach() {
    UUID id = UUID.fromString("3f2b1c4d-0000-4000-8000-000000000001");
    ConfusionMatrix matrix =
        new ConfusionMatrix(List.of("负面", "正面"), List.of(List.of(50L, 3L), List.of(4L, 120L)));
    JsonNode spec =
        JobSpecs.parse("model: {source: m}\ndataset: {uri: d.csv}\nregistry: {model_name: r}\n");
    return List.of(
        new SubmitJob(id, JOB, AT, spec, "alice"),
        new JobAccepted(
            id,
            JOB,
            AT,
            JobSpecs.validate(spec).spec(),
            List.of(new Problem("training.output_dir", "has no effect in kft"))),
        new JobRejected(
            id,
            JOB,
            AT,
            "invalid job spec",
            List.of(new Problem("training.learning_rate", "must be > 0, got -1"))),
        new DatasetPrepared(
            id,
            JOB,
            AT,
            "ab12",
            "ef56",
            "cd34",
            List.of("0", "1"),
            128,
            "longest",
            7000,
            Map.of("duplicate", 3L),
            Map.of(
                "train",
                new SplitReport(
                    6000,
                    600,
                    Map.of("0", 2000L, "1", 4000L),
                    new TokenLengthStats(3, 900, 98.5, 80, 260, 600, 412, 0.001),
                    16,
                    375,
                    new OffsetRange(0, 10, 385))),
            JobSpecs.validate(spec).spec(),
            Map.of("source", "maven:g:a:1", "jar_sha256", "0f0f"),
            DatasetPrepared.Vocabulary.of(21128, new int[] {0, 1, 2, 3, 100, 7000, 7001}, 768),
            new DatasetPrepared.AugmentationReport(
                DatasetPrepared.AugmentationReport.SHIPPED_LEXICON,
                "auto",
                Map.of("synonym_replacement", new DatasetPrepared.OperationCount(310, 290, 612)))),
        new TrainingStarted(
            id,
            JOB,
            AT,
            "lora",
            new ParameterCount(296_450, 102_564_098),
            1125,
            0,
            "cpu()",
            "bf16",
            List.of("bert.encoder.layer.6.*", "cls.predictions.*")),
        new TrainingProgress(
            id, JOB, AT, 50, 1125, 0.13, 0.61, 4.9e-5, 1.7, 120.5, 11_000.0, 32768.0, 3L),
        new TrainingFinished(
            id,
            JOB,
            AT,
            Reason.EARLY_STOPPED,
            600,
            1.6,
            0.21,
            "file:///artifacts/job-1/checkpoint-600"),
        new JobFailed(id, JOB, AT, "trainer", "train", "loss became NaN at step 13", 13L),
        new CheckpointSaved(
            id,
            JOB,
            AT,
            200,
            0.53,
            "file:///a/checkpoint-200",
            "ef56",
            1024,
            false,
            new ParameterCount(10, 20),
            0.4,
            Reason.EARLY_STOPPED,
            true),
        new CheckpointEvaluated(
            id,
            JOB,
            AT,
            200,
            0.53,
            "file:///a/checkpoint-200",
            Map.of("eval_loss", 0.3, "eval_f1", 0.9),
            matrix,
            "file:///a/cm.svg",
            true,
            3),
        new ModelCandidate(
            id,
            JOB,
            AT,
            200,
            "file:///a/checkpoint-200",
            "ef56",
            false,
            new ParameterCount(10, 20),
            "d00d",
            List.of("neg", "pos"),
            Map.of("eval_f1", 0.9),
            matrix,
            "file:///a/cm.svg",
            Map.of("test_f1", 0.88),
            matrix,
            "file:///a/test-cm.svg",
            Reason.COMPLETED,
            "file:///a/test_predictions.jsonl"),
        new StopTraining(id, JOB, AT, Reason.CANCELLED, "cancelled by alice", "alice"),
        new ModelVersionRegistered(
            id, JOB, AT, "sentiment", 3, "file:///registry/sentiment/3", "9a9a", 4096),
        new AliasSet(id, JOB, AT, "sentiment", "champion", 3, 2, "bob"),
        new AliasDeleted(id, JOB, AT, "sentiment", "staging", 2, "bob"),
        new ScoringDeclared(
            id, JOB, AT, "reviews", "sentiment@champion", "in", "out", "text", "bob"),
        new ScoringRemoved(id, JOB, AT, "reviews", "bob"),
        new ScoringSwitched(id, JOB, AT, "reviews", "sentiment@champion", 2, 3, "in", 1, 42));
  }

  @Test
  void everyEventTypeRoundTripsWithItsTypeName() throws Exception {
    List<Event> events = oneOfEach();
    assertEquals(18, events.size());
    for (Event event : events) {
      byte[] bytes = serializer.serialize(Topics.JOB_EVENTS, event);
      JsonNode tree = Json.mapper().readTree(bytes);
      assertEquals(event.getClass().getSimpleName(), tree.get("type").asText());
      assertEquals("2026-11-29T10:15:30.123456Z", tree.get("occurredAt").asText());
      assertEquals(JOB, tree.get("jobId").asText());
      Event back = deserializer.deserialize(Topics.JOB_EVENTS, bytes);
      assertEquals(event, back, event.getClass().getSimpleName());
    }
  }

  @Test
  void aPrunedVocabularyListsItsKeptIdsAsRanges() {
    int[] ids = {0, 1, 2, 3, 100, 7000, 7001};
    DatasetPrepared.Vocabulary v = DatasetPrepared.Vocabulary.of(21128, ids, 768);
    assertEquals("0-3,100,7000-7001", v.kept());
    assertEquals(7, v.keptTokens());
    assertEquals((21128L - 7) * 768, v.parametersSaved());
    assertArrayEquals(ids, v.keptIds());
  }

  @Test
  void unknownFieldsAreIgnoredSoEventsCanGrow() throws Exception {
    Event event = oneOfEach().get(13);
    ObjectNode tree = (ObjectNode) Json.mapper().readTree(serializer.serialize("t", event));
    tree.put("addedInAFutureVersion", 1);
    Event back = deserializer.deserialize("t", Json.mapper().writeValueAsBytes(tree));
    assertEquals(event, back);
  }

  @Test
  void garbageIsASerializationErrorNamingTheTopic() {
    SerializationException e =
        assertThrows(
            SerializationException.class,
            () ->
                deserializer.deserialize(
                    Topics.JOBS, "{not json".getBytes(StandardCharsets.UTF_8)));
    assertTrue(e.getMessage().startsWith("not a kft event on kft.jobs"), e.getMessage());
    assertThrows(
        SerializationException.class,
        () ->
            deserializer.deserialize(
                Topics.JOBS,
                "{\"type\":\"Nonsense\",\"jobId\":\"x\"}".getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void familiesMatchTheirTopics() {
    assertInstanceOf(JobCommand.class, oneOfEach().get(0));
    assertInstanceOf(ControlCommand.class, oneOfEach().get(11));
    assertInstanceOf(ModelEvent.class, oneOfEach().get(14));
    assertInstanceOf(ModelEvent.class, oneOfEach().get(16));
    assertEquals(12, Topics.ALL.size());
  }

  @Test
  void parameterReportReadsLikePeft() {
    assertEquals(
        "trainable params: 294,912 || all params: 102,564,098 || trainable%: 0.2875",
        new ParameterCount(294_912, 102_564_098).toString());
  }
}
