package dev.kft.registry.messaging;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import dev.kft.batch.Split;
import dev.kft.batch.TokenizedBatch;
import dev.kft.checkpoint.HubClient;
import dev.kft.checkpoint.ModelSource;
import dev.kft.events.AliasSet;
import dev.kft.events.DatasetPrepared;
import dev.kft.events.DatasetPrepared.OffsetRange;
import dev.kft.events.DatasetPrepared.SplitReport;
import dev.kft.events.DatasetPrepared.TokenLengthStats;
import dev.kft.events.Event;
import dev.kft.events.ModelCandidate;
import dev.kft.events.ModelVersionRegistered;
import dev.kft.events.ParameterCount;
import dev.kft.events.Topics;
import dev.kft.events.TrainingFinished.Reason;
import dev.kft.io.ConfinedPaths;
import dev.kft.io.Sha256;
import dev.kft.job.JobSpecs;
import dev.kft.job.MethodType;
import dev.kft.job.ValidatedSpec;
import dev.kft.json.Json;
import dev.kft.model.ModelLoader;
import dev.kft.nn.Inference;
import dev.kft.registry.domain.Lineage;
import dev.kft.registry.persistence.ModelRepository;
import dev.kft.testing.Eventually;
import dev.kft.testing.KafkaBrokerResource;
import dev.kft.testing.KafkaTestClient;
import dev.kft.testing.PostgresResource;
import dev.kft.testing.TinyCheckpoint;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Candidates become model versions over the real broker and a real PostgreSQL. */
@QuarkusTest
@WithTestResource(KafkaBrokerResource.class)
@WithTestResource(PostgresResource.class)
@Tag("unit")
class RegistrationTest {

  @org.junit.jupiter.api.BeforeAll
  static void readWithTheReadToken() {
    // reads need a token; writes say which token they carry
    io.restassured.RestAssured.authentication =
        io.restassured.RestAssured.oauth2("test-read-token");
  }

  static final Duration WAIT = Duration.ofSeconds(60);
  static final Path ARTIFACTS = Path.of("target/artifacts");
  static final Path MODEL = Path.of("../models/bert-base-chinese");

  private final KafkaTestClient kafka = KafkaTestClient.ofTestBroker();

  @Inject ModelRepository models;

  /** A job with a checkpoint on disk and the candidate the evaluator would propose for it. */
  static final class Job {
    final String id = UUID.randomUUID().toString();
    final DatasetPrepared prepared;
    final Path checkpoint;
    final ModelCandidate candidate;

    Job(String registry, double evalF1) throws Exception {
      ValidatedSpec checked =
          JobSpecs.validate(
              JobSpecs.parse(
                  """
          model: {source: bert-base-chinese}
          dataset: {uri: d.csv}
          registry: %s
          """
                      .formatted(registry)));
      assertTrue(checked.valid(), checked.describeProblems());
      SplitReport split =
          new SplitReport(
              10,
              0,
              Map.of("neg", 5L, "pos", 5L),
              new TokenLengthStats(4, 9, 6, 6, 9, 9, 0, 0),
              8,
              2,
              new OffsetRange(0, 7, 9));
      prepared =
          new DatasetPrepared(
              Event.newId(),
              id,
              Instant.now(),
              "dataset-" + id,
              "source-sha",
              "tokenizer-sha",
              List.of("neg", "pos"),
              16,
              "longest",
              30,
              Map.of(),
              Map.of("train", split, "validation", split, "test", split),
              checked.spec(),
              Map.of("source", "tiny"),
              null,
              null);
      checkpoint = ARTIFACTS.resolve(id).resolve("checkpoint-20").toAbsolutePath();
      TinyCheckpoint.write(checkpoint, MODEL, prepared, 7, null);
      candidate =
          new ModelCandidate(
              Event.newId(),
              id,
              Instant.now(),
              20,
              checkpoint.toUri().toString(),
              Sha256.file(checkpoint.resolve("model.safetensors")),
              false,
              new ParameterCount(100, 100),
              prepared.datasetSha256(),
              prepared.labelNames(),
              Map.of("eval_f1", evalF1, "eval_loss", 0.3),
              null,
              null,
              Map.of("test_accuracy", 0.9),
              null,
              null,
              Reason.COMPLETED,
              null);
    }
  }

  static Map<?, ?> awaitJob(String id, String status) {
    Response[] last = new Response[1];
    Eventually.await(
        WAIT,
        () -> {
          last[0] = given().get("/api/jobs/" + id);
          last[0].then().statusCode(200).body("status", equalTo(status));
        });
    return last[0].as(Map.class);
  }

  @Test
  void anApprovedCandidateBecomesAReadyVersionWithLineageAndAnExportThatReloads() throws Exception {
    String name = "sentiment-" + UUID.randomUUID();
    Job job =
        new Job(
            ("{model_name: %s, approval: 'eval_f1 >= 0.8', aliases: [staging],"
                    + " tags: {team: nlp, language: zh}}")
                .formatted(name),
            0.85);
    kafka.publish(Topics.EVALUATIONS, job.candidate);
    kafka.publish(Topics.EVALUATIONS, job.candidate);
    awaitJob(job.id, "COMPLETED");

    List<Event> facts = kafka.awaitEvents(Topics.MODELS, e -> e.jobId().equals(job.id), 2, WAIT);
    ModelVersionRegistered registered = (ModelVersionRegistered) facts.get(0);
    assertEquals(name, registered.modelName());
    assertEquals(1, registered.version());
    assertEquals("staging", ((AliasSet) facts.get(1)).alias());

    Map<?, ?> version =
        given()
            .get("/api/models/{n}/aliases/staging", name)
            .then()
            .statusCode(200)
            .extract()
            .as(Map.class);
    assertEquals("READY", version.get("status"));
    assertEquals("nlp", ((Map<?, ?>) version.get("tags")).get("team"));
    Map<?, ?> lineage = (Map<?, ?>) ((Map<?, ?>) version.get("lineage")).get("datasetPrepared");
    assertEquals("dataset-" + job.id, lineage.get("datasetSha256"));
    assertEquals(
        7,
        ((Map<?, ?>) ((Map<?, ?>) ((Map<?, ?>) lineage.get("splits")).get("train")).get("offsets"))
            .get("fromOffset"));
    given().get("/api/models/{n}/versions", name).then().statusCode(200).body("size()", equalTo(1));
    given()
        .get("/api/models?tag=team=nlp&name=" + name)
        .then()
        .statusCode(200)
        .body("name", equalTo(List.of(name)));

    Response download = given().get("/api/models/{n}/versions/1/archive", name);
    download.then().statusCode(200);
    byte[] zip = download.asByteArray();
    Path zipFile = Files.createTempFile("kft-version-", ".zip");
    Files.write(zipFile, zip);
    assertEquals(Sha256.file(zipFile), download.header("X-Checksum-SHA256"));

    Path exported = Path.of(URI.create((String) version.get("artifactUri")));
    String card = Files.readString(exported.resolve("README.md"));
    assertTrue(card.contains("eval_f1"));
    hubMetadata(card, name);
    assertArrayEquals(
        logits(job.checkpoint), logits(exported), "the export reloads to equal logits");
  }

  /** The card's front matter has the fields the Hugging Face hub reads, test metrics included. */
  private static void hubMetadata(String card, String name) throws Exception {
    assertTrue(card.startsWith("---\n"), "front matter first");
    JsonNode meta = Json.yaml().readTree(card.substring(4, card.indexOf("\n---\n", 4)));
    assertEquals("transformers", meta.path("library_name").asText());
    assertEquals("text-classification", meta.path("pipeline_tag").asText());
    assertEquals(List.of("zh"), Json.mapper().treeToValue(meta.path("language"), List.class));
    assertTrue(meta.path("base_model").isMissingNode(), "a local source names no hub model");
    JsonNode result = meta.at("/model-index/0/results/0");
    assertEquals(name, meta.at("/model-index/0/name").asText());
    assertEquals("text-classification", result.at("/task/type").asText());
    assertEquals("test", result.at("/dataset/split").asText());
    assertEquals("accuracy", result.at("/metrics/0/type").asText());
    assertEquals(0.9, result.at("/metrics/0/value").asDouble());
  }

  @Test
  void aCandidateThatFailsItsRuleRegistersNothingAndSaysWhy() throws Exception {
    String name = "strict-" + UUID.randomUUID();
    Job job = new Job("{model_name: %s, approval: ['eval_f1 >= 0.9']}".formatted(name), 0.85);
    kafka.publish(Topics.EVALUATIONS, job.candidate);
    Map<?, ?> tracked = awaitJob(job.id, "NOT_APPROVED");
    String reason = (String) tracked.get("reason");
    assertTrue(reason.contains("eval_f1 >= 0.900000") && reason.contains("0.850000"), reason);
    given()
        .get("/api/models/{n}", name)
        .then()
        .statusCode(404)
        .body("detail", containsString(name));
  }

  @Test
  void concurrentRegistrationsGetDistinctIncreasingVersions() throws Exception {
    String name = "busy-" + UUID.randomUUID();
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<Integer>> versions =
          java.util.stream.IntStream.range(0, 8)
              .mapToObj(
                  i ->
                      pool.submit(
                          () ->
                              models
                                  .register(
                                      new ModelRepository.NewVersion(
                                          name,
                                          null,
                                          Map.of(),
                                          name + "-job-" + i,
                                          "file:///c",
                                          MethodType.FULL,
                                          null,
                                          "d",
                                          Map.of(),
                                          Map.of(),
                                          new Lineage(null, null, null, null)))
                                  .version()))
              .toList();
      List<Integer> numbers = new java.util.ArrayList<>();
      for (Future<Integer> f : versions) {
        numbers.add(f.get());
      }
      assertEquals(List.of(1, 2, 3, 4, 5, 6, 7, 8), numbers.stream().sorted().toList());
    } finally {
      pool.shutdown();
    }
  }

  @Test
  void aliasMovesNeedTheWriteTokenAndAreAuditedAsItsUser() throws Exception {
    String name = "aliased-" + UUID.randomUUID();
    for (int i = 0; i < 2; i++) {
      Job job = new Job("{model_name: %s}".formatted(name), 0.5);
      kafka.publish(Topics.EVALUATIONS, job.candidate);
      awaitJob(job.id, "COMPLETED");
    }
    String path = "/api/models/{n}/aliases/champion";
    given().auth().none().get("/api/models/{n}/versions", name).then().statusCode(401);
    given()
        .contentType("application/json")
        .body("{\"version\": 1}")
        .put(path, name)
        .then()
        .statusCode(403)
        .body("detail", containsString("read token may not change anything"));
    given()
        .auth()
        .none()
        .contentType("application/json")
        .body("{\"version\": 1}")
        .put(path, name)
        .then()
        .statusCode(401)
        .contentType("application/problem+json");
    given()
        .auth()
        .oauth2("wrong")
        .contentType("application/json")
        .body("{\"version\": 1}")
        .put(path, name)
        .then()
        .statusCode(403);
    for (int v : new int[] {1, 2}) {
      given()
          .auth()
          .oauth2("test-token")
          .header("X-Kft-User", "alice")
          .contentType("application/json")
          .body("{\"version\": " + v + "}")
          .put(path, name)
          .then()
          .statusCode(200)
          .body("version", equalTo(v));
    }
    given()
        .auth()
        .oauth2("test-token")
        .contentType("application/json")
        .body("{\"version\": 9}")
        .put(path, name)
        .then()
        .statusCode(404)
        .body("detail", containsString("no version 9"));
    given()
        .get("/api/models/{n}/alias-history", name)
        .then()
        .statusCode(200)
        .body("size()", equalTo(2))
        .body("[1].fromVersion", equalTo(1))
        .body("[1].toVersion", equalTo(2))
        .body("[1].actor", equalTo("operator"));
    given().auth().oauth2("test-token").delete(path, name).then().statusCode(204);
    given().get(path, name).then().statusCode(404);
    factsAboutOneModelShareItsKey(name);
  }

  /**
   * Every fact about {@code name} on kft.models is keyed by the model, not by the job of the
   * version it names: facts about one model must share a partition, or a reader rebuilding the
   * aliases from the log could apply a later move before an earlier one.
   */
  private void factsAboutOneModelShareItsKey(String name) {
    Eventually.await(
        WAIT,
        () -> {
          List<String> keys = new java.util.ArrayList<>();
          for (var r : kafka.readAll(Topics.MODELS)) {
            Event e = new dev.kft.events.EventDeserializer().deserialize(Topics.MODELS, r.value());
            if (e instanceof ModelVersionRegistered v && v.modelName().equals(name)
                || e instanceof AliasSet a && a.modelName().equals(name)
                || e instanceof dev.kft.events.AliasDeleted d && d.modelName().equals(name)) {
              keys.add(r.key());
            }
          }
          // two versions, two alias moves, one removal
          assertEquals(java.util.Collections.nCopies(5, name), keys);
        });
  }

  private static float[] logits(Path dir) throws Exception {
    ModelLoader loader =
        new ModelLoader(
            new ModelSource(
                new ConfinedPaths(List.of(dir.getParent())),
                new HubClient(URI.create("http://127.0.0.1:9"), dir, true, Optional.empty())));
    int[] ids = {101, 2769, 4263, 102, 101, 679, 1962, 102};
    TokenizedBatch batch =
        new TokenizedBatch(
            "j",
            Split.TEST,
            0,
            2,
            4,
            ids,
            new byte[] {1, 1, 1, 1, 1, 1, 1, 1},
            new byte[8],
            new int[2],
            new int[2]);
    try (NDManager manager = NDManager.newBaseManager()) {
      var model =
          loader
              .load(new ModelLoader.Request(dir.toString(), true, Map.of(), List.of(), 0), manager)
              .model();
      float[][] out = new Inference(model, 8).run(batch).logits();
      return new float[] {out[0][0], out[0][1], out[1][0], out[1][1]};
    }
  }
}
