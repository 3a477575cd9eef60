package dev.kft.inference.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kft.checkpoint.BertConfig;
import dev.kft.checkpoint.BertInit;
import dev.kft.checkpoint.ModelExport;
import dev.kft.checkpoint.PeftExport;
import dev.kft.checkpoint.SafeTensorsWriter;
import dev.kft.checkpoint.TensorData;
import dev.kft.events.AliasSet;
import dev.kft.events.Event;
import dev.kft.events.ModelVersionRegistered;
import dev.kft.events.Topics;
import dev.kft.io.FileTrees;
import dev.kft.job.AdapterSpec;
import dev.kft.job.AdapterType;
import dev.kft.job.MethodSpec;
import dev.kft.job.MethodType;
import dev.kft.job.PromptTuningSpec;
import dev.kft.json.Json;
import dev.kft.peft.BottleneckAdapters;
import dev.kft.peft.PeftMethod;
import dev.kft.peft.PromptTuning;
import dev.kft.testing.Eventually;
import dev.kft.testing.KafkaBrokerResource;
import dev.kft.testing.KafkaTestClient;
import dev.kft.testing.PythonReference;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Predictions of registered versions through the REST API: the same labels and probabilities as an
 * independent PyTorch pipeline reading the exported directory (its own WordPiece tokenizer from
 * vocab.txt; full fine-tuning, prompt tuning and bottleneck adapters), versions found through the
 * registry's events, and requests out of bounds refused naming the field.
 */
@QuarkusTest
@WithTestResource(KafkaBrokerResource.class)
@Tag("unit")
class PredictResourceTest {

  private static final Path EXPORT = Path.of("target", "registry", "tiny", "1").toAbsolutePath();
  private static final Path PEFT = Path.of("target", "registry", "tiny-peft").toAbsolutePath();
  private static final Path BF16 = Path.of("target", "registry", "tiny-bf16", "1").toAbsolutePath();
  private static final List<String> TEXTS =
      List.of(
          "房间很干净，服务也很好，下次还会再来。",
          "太差了，空调不制冷，前台态度恶劣！",
          "早餐一般",
          "Hello 世界! WiFi 速度 100Mbps",
          "这家酒店的位置非常方便，离地铁站只有五分钟的步行距离，周边有很多餐馆和商店。");

  private static final Path FAMILY = Path.of("..", "models", "bert-base-chinese");

  @BeforeAll
  static void registerTinyVersions() throws Exception {
    FileTrees.delete(EXPORT);
    BertConfig config =
        BertConfig.read(FAMILY.resolve("config.json"))
            .withOverrides(
                Map.of(
                    "num_hidden_layers", 1,
                    "hidden_size", 32,
                    "num_attention_heads", 2,
                    "intermediate_size", 64,
                    "initializer_range", 0.3))
            .withLabels(List.of("neg", "mid", "pos"));
    export(config, BertInit.random(config, 5), EXPORT);
    register("tiny", 1, EXPORT);
    KafkaTestClient.ofTestBroker()
        .publish(
            Topics.MODELS,
            new AliasSet(Event.newId(), "job-1", Instant.now(), "tiny", "prod", 1, null, "test"));
    registerBf16(config);
    registerAdapted(
        config,
        1,
        new PromptTuning(new PromptTuningSpec(4, null, null), config, null),
        new MethodSpec(MethodType.PROMPT_TUNING, null, null, new PromptTuningSpec(4, null, null)));
    AdapterSpec houlsby = new AdapterSpec(AdapterType.HOULSBY, 4);
    registerAdapted(
        config,
        2,
        new BottleneckAdapters(houlsby, config),
        new MethodSpec(MethodType.ADAPTER, null, houlsby, null));
  }

  /**
   * Registers {@code tiny-bf16} version 1 as the registry exports a job trained in bf16 with {@code
   * save_dtype: bfloat16}: weights stored in bfloat16, the precision named in config.json.
   */
  private static void registerBf16(BertConfig config) throws Exception {
    FileTrees.delete(BF16);
    Map<String, TensorData> weights = BertInit.random(config, 8);
    export(config, weights, BF16);
    SafeTensorsWriter.write(BF16.resolve("model.safetensors"), weights, Map.of(), "BF16");
    ObjectNode json = (ObjectNode) Json.mapper().readTree(BF16.resolve("config.json").toFile());
    json.put("torch_dtype", "bfloat16").put(ModelExport.PRECISION, "bf16");
    Json.mapper().writeValue(BF16.resolve("config.json").toFile(), json);
    register("tiny-bf16", 1, BF16);
  }

  /** Writes {@code dir} as the registry exports it: truncation at the job's max_length. */
  private static void export(BertConfig config, Map<String, TensorData> weights, Path dir)
      throws Exception {
    ModelExport.write(config, weights, FAMILY, dir);
    Files.writeString(
        dir.resolve("tokenizer_config.json"),
        "{\"do_lower_case\": false, \"model_max_length\": 16}");
  }

  /**
   * Registers version {@code version} of {@code tiny-peft}: the base's weights with {@code
   * method}'s tensors and a trained head in {@code adapter/}, every one drawn at random so that
   * each counts.
   */
  private static void registerAdapted(
      BertConfig config, int version, PeftMethod method, MethodSpec spec) throws Exception {
    Path dir = PEFT.resolve(String.valueOf(version));
    FileTrees.delete(dir);
    export(config, BertInit.random(config, 5), dir);
    SplittableRandom random = new SplittableRandom(version);
    Map<String, TensorData> trained = new LinkedHashMap<>();
    method.shapes().forEach((name, shape) -> trained.put(name, randomTensor(random, shape)));
    BertInit.random(config, 6)
        .forEach(
            (name, t) -> {
              if (name.startsWith("classifier.")) {
                trained.put(name, t);
              }
            });
    PeftExport.write(dir.resolve("adapter"), spec, config, "tiny-base", trained);
    register("tiny-peft", version, dir);
  }

  private static TensorData randomTensor(SplittableRandom random, long[] shape) {
    float[] values = new float[(int) TensorData.elementCount(shape)];
    for (int i = 0; i < values.length; i++) {
      values[i] = (float) (random.nextDouble(-1, 1));
    }
    return new TensorData(shape, values);
  }

  private static void register(String name, int version, Path dir) throws Exception {
    KafkaTestClient.ofTestBroker()
        .publish(
            Topics.MODELS,
            new ModelVersionRegistered(
                Event.newId(),
                "job-" + name + version,
                Instant.now(),
                name,
                version,
                dir.toUri().toString(),
                "sha",
                Files.size(dir.resolve("model.safetensors"))));
  }

  private static JsonNode predict(String model, Object body) throws Exception {
    String json =
        given()
            .contentType(ContentType.JSON)
            .body(body instanceof String raw ? raw : Json.mapper().writeValueAsString(body))
            .post("/api/predict/" + model)
            .then()
            .statusCode(200)
            .extract()
            .asString();
    return Json.mapper().readTree(json);
  }

  private static JsonNode awaitPredict(String model, Object body) {
    JsonNode[] answer = new JsonNode[1];
    Eventually.await(
        Duration.ofMinutes(1),
        () -> {
          try {
            answer[0] = predict(model, body);
          } catch (Exception e) {
            throw new AssertionError(e);
          }
        });
    return answer[0];
  }

  @Test
  void probabilitiesEqualAnIndependentPytorchPipeline() throws Exception {
    JsonNode answer = awaitPredict("tiny@prod", allLabelsOf(TEXTS));
    assertEquals("tiny", answer.path("model").asText());
    assertEquals(1, answer.path("version").asInt());
    sameAsTheReference("full fine-tuning", answer, EXPORT);
  }

  /** Prompt tuning and bottleneck adapters are applied over the base their export keeps. */
  @Test
  void adaptedVersionsEqualAnIndependentPytorchPipeline() throws Exception {
    sameAsTheReference(
        "prompt tuning", awaitPredict("tiny-peft:1", allLabelsOf(TEXTS)), PEFT.resolve("1"));
    sameAsTheReference(
        "bottleneck adapters", awaitPredict("tiny-peft:2", allLabelsOf(TEXTS)), PEFT.resolve("2"));
  }

  /**
   * A version trained in bf16 is computed as the evaluator computed it, in bfloat16 products: the
   * reference runs under PyTorch's autocast.
   */
  @Test
  void aBf16VersionIsComputedAsAutocastComputesIt() throws Exception {
    sameAsTheReference("bf16", awaitPredict("tiny-bf16:1", allLabelsOf(TEXTS)), BF16);
  }

  private static String allLabelsOf(List<String> texts) throws Exception {
    return "{\"inputs\": " + Json.mapper().writeValueAsString(texts) + ", \"top_k\": null}";
  }

  /** Every label's probability within 1e-5 of classify_reference.py's on {@code export}. */
  private static void sameAsTheReference(String what, JsonNode answer, Path export)
      throws Exception {
    Path work = Files.createDirectories(Path.of("target", "reference").toAbsolutePath());
    Files.writeString(work.resolve("texts.json"), Json.mapper().writeValueAsString(TEXTS));
    JsonNode reference =
        Json.mapper()
            .readTree(
                PythonReference.run(
                    "classify_reference.py", work, export.toString(), "texts.json"));
    double maxDiff = 0;
    double mostSure = 0;
    for (int i = 0; i < TEXTS.size(); i++) {
      mostSure =
          Math.max(mostSure, answer.path("predictions").get(i).get(0).path("score").asDouble());
      JsonNode ours = answer.path("predictions").get(i);
      JsonNode theirs = reference.get(i);
      assertEquals(3, ours.size(), "every label with top_k null");
      for (int k = 0; k < 3; k++) {
        String label = ours.get(k).path("label").asText();
        double score = ours.get(k).path("score").asDouble();
        if (k > 0) {
          assertTrue(score <= ours.get(k - 1).path("score").asDouble(), "sorted by score");
        }
        for (JsonNode s : theirs) {
          if (s.path("label").asText().equals(label)) {
            maxDiff = Math.max(maxDiff, Math.abs(score - s.path("score").asDouble()));
          }
        }
      }
    }
    System.out.println(what + ": predict vs PyTorch pipeline: max |Δp| = " + maxDiff);
    assertTrue(maxDiff <= 1e-5, what + ": max |Δp| " + maxDiff);
    assertTrue(mostSure > 0.5, what + ": the model is not uniform: top probability " + mostSure);
  }

  @Test
  void oneTextGetsItsMostProbableLabelByDefault() throws Exception {
    JsonNode answer = awaitPredict("tiny:1", Map.of("inputs", "早餐一般"));
    JsonNode scores = answer.path("predictions").get(0);
    assertEquals(1, scores.size(), "top_k defaults to 1");
    JsonNode all = predict("tiny", Map.of("inputs", List.of("早餐一般"), "top_k", 3));
    assertEquals(
        all.path("predictions").get(0).get(0).path("label").asText(),
        scores.get(0).path("label").asText());
    JsonNode pair =
        predict("tiny", Map.of("inputs", List.of(Map.of("text", "早餐", "text_pair", "一般"))));
    assertEquals(1, pair.path("predictions").size());
  }

  @Test
  void badRequestsNameWhatIsWrong() {
    awaitPredict("tiny", Map.of("inputs", "好"));
    expect("tiny", "{\"inputs\": []}", 400, "inputs: the list is empty");
    expect("tiny", "{\"texts\": [\"a\"]}", 400, "inputs: required");
    expect("tiny", "{\"inputs\": [3]}", 400, "inputs[0]: must be a text");
    expect("tiny", "{\"inputs\": \"a\", \"top_k\": 0}", 400, "top_k: must be a whole number");
    expect("tiny:x", "{\"inputs\": \"a\"}", 400, "the version after ':' must be a whole number");
    expect("nothing", "{\"inputs\": \"a\"}", 404, "no model named 'nothing'");
    expect("tiny@staging", "{\"inputs\": \"a\"}", 404, "has no alias 'staging'");
    expect("tiny:7", "{\"inputs\": \"a\"}", 404, "has no registered version 7");
    expect(
        "tiny",
        "{\"inputs\": [\"" + "好".repeat(20001) + "\"]}",
        413,
        "inputs[0]: 20001 characters, at most 20000");
    StringBuilder many = new StringBuilder("{\"inputs\": [\"a\"");
    many.append(", \"a\"".repeat(256)).append("]}");
    expect("tiny", many.toString(), 413, "inputs: 257 inputs, at most 256");
  }

  private static void expect(String model, String body, int status, String detail) {
    given()
        .contentType(ContentType.JSON)
        .body(body)
        .post("/api/predict/" + model)
        .then()
        .statusCode(status)
        .body("status", equalTo(status))
        .body("detail", containsString(detail));
  }
}
