package dev.kft.registry.messaging;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kft.events.AliasSet;
import dev.kft.events.Topics;
import dev.kft.io.Sha256;
import dev.kft.json.Json;
import dev.kft.testing.KafkaBrokerResource;
import dev.kft.testing.KafkaTestClient;
import dev.kft.testing.PostgresResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URI;
import java.net.URL;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.mlflow.api.proto.ModelRegistry;
import org.mlflow.tracking.MlflowClient;
import org.mlflow.tracking.MlflowHttpException;
import org.mlflow.tracking.ModelVersionsPage;
import org.mlflow.tracking.creds.BasicMlflowHostCreds;

/**
 * MLflow's own Java client ({@code org.mlflow:mlflow-client}) against the running registry: it
 * lists and reads models and versions, moves an alias and finds a version's files.
 */
@QuarkusTest
@WithTestResource(KafkaBrokerResource.class)
@WithTestResource(PostgresResource.class)
@Tag("unit")
class MlflowClientTest {

  @TestHTTPResource("/")
  URL root;

  private final KafkaTestClient kafka = KafkaTestClient.ofTestBroker();

  @BeforeAll
  static void readWithTheReadToken() {
    io.restassured.RestAssured.authentication =
        io.restassured.RestAssured.oauth2("test-read-token");
  }

  private MlflowClient client(String token) {
    return new MlflowClient(new BasicMlflowHostCreds(root.toString(), token));
  }

  /** Two versions of a model registered through the pipeline's own path; returns their jobs. */
  private List<RegistrationTest.Job> register(String name) throws Exception {
    List<RegistrationTest.Job> jobs = new java.util.ArrayList<>();
    for (int i = 0; i < 2; i++) {
      RegistrationTest.Job job =
          new RegistrationTest.Job("{model_name: %s, tags: {team: nlp}}".formatted(name), 0.9);
      kafka.publish(Topics.EVALUATIONS, job.candidate);
      RegistrationTest.awaitJob(job.id, "COMPLETED");
      jobs.add(job);
    }
    return jobs;
  }

  @Test
  void mlflowsClientReadsModelsAndVersions() throws Exception {
    String name = "mlflow-" + UUID.randomUUID();
    List<RegistrationTest.Job> jobs = register(name);
    try (MlflowClient reader = client("test-read-token")) {
      ModelRegistry.RegisteredModel model = reader.getRegisteredModel(name);
      Map<?, ?> ours = given().get("/api/models/{n}", name).as(Map.class);
      assertEquals(name, model.getName());
      assertEquals(
          Instant.parse((String) ours.get("createdAt")).toEpochMilli(),
          model.getCreationTimestamp());
      assertEquals("2", model.getLatestVersions(0).getVersion());
      assertEquals("2", reader.getLatestVersions(name).get(0).getVersion());

      ModelRegistry.ModelVersion first = reader.getModelVersion(name, "1");
      assertEquals(ModelRegistry.ModelVersionStatus.READY, first.getStatus());
      assertEquals(jobs.get(0).id, first.getRunId());
      assertEquals(jobs.get(0).checkpoint.toUri().toString(), first.getSource());
      assertEquals("None", first.getCurrentStage());
      assertTrue(
          first.getTagsList().stream()
              .anyMatch(t -> t.getKey().equals("team") && t.getValue().equals("nlp")));

      ModelVersionsPage newestFirst =
          reader.searchModelVersions("name = '" + name + "'", 1, List.of("version_number DESC"));
      assertEquals("2", newestFirst.getItems().get(0).getVersion());
      assertTrue(newestFirst.hasNextPage());
      assertEquals("1", newestFirst.getNextPage().getItems().iterator().next().getVersion());
      assertEquals(
          List.of("1"),
          reader.searchModelVersions("run_id = '" + jobs.get(0).id + "'").getItems().stream()
              .map(ModelRegistry.ModelVersion::getVersion)
              .toList());

      JsonNode listed =
          Json.mapper()
              .readTree(
                  reader.sendGet(
                      "registered-models/search?filter="
                          + URLEncoder.encode(
                              "name LIKE 'mlflow-%' AND tags.team = 'nlp'",
                              StandardCharsets.UTF_8)));
      assertTrue(listed.get("registered_models").findValuesAsText("name").contains(name));

      MlflowHttpException missing =
          assertThrows(MlflowHttpException.class, () -> reader.getRegisteredModel("no-" + name));
      assertEquals(404, missing.getStatusCode());
      assertTrue(missing.getBodyMessage().contains("RESOURCE_DOES_NOT_EXIST"));
      MlflowHttpException badFilter =
          assertThrows(MlflowHttpException.class, () -> reader.searchModelVersions("stage = 'x'"));
      assertEquals(400, badFilter.getStatusCode());
      assertTrue(badFilter.getBodyMessage().contains("filter: cannot read 'stage = 'x''"));
    }
  }

  @Test
  void anAliasSetThroughMlflowIsAuditedAndPublished() throws Exception {
    String name = "mlflow-alias-" + UUID.randomUUID();
    register(name);
    String move = "{\"name\": \"%s\", \"alias\": \"champion\", \"version\": \"1\"}".formatted(name);
    try (MlflowClient reader = client("test-read-token");
        MlflowClient writer = client("test-token")) {
      MlflowHttpException refused =
          assertThrows(
              MlflowHttpException.class, () -> reader.sendPost("registered-models/alias", move));
      assertEquals(403, refused.getStatusCode());

      writer.sendPost("registered-models/alias", move);
      assertEquals(List.of("champion"), reader.getModelVersion(name, "1").getAliasesList());
      ModelRegistry.RegisteredModelAlias alias =
          reader.getRegisteredModel(name).getAliasesList().get(0);
      assertEquals("champion", alias.getAlias());
      assertEquals("1", alias.getVersion());
      JsonNode byAlias =
          Json.mapper()
              .readTree(reader.sendGet("registered-models/alias?name=" + name + "&alias=champion"));
      assertEquals("1", byAlias.get("model_version").get("version").asText());
      List<?> history = given().get("/api/models/{n}/alias-history", name).as(List.class);
      assertEquals("operator", ((Map<?, ?>) history.get(0)).get("actor"));
      kafka.awaitEvents(
          Topics.MODELS,
          e -> e instanceof AliasSet a && a.modelName().equals(name) && a.version() == 1,
          1,
          RegistrationTest.WAIT);
    }
  }

  @Test
  void aVersionsFilesComeThroughItsDownloadUri() throws Exception {
    String name = "mlflow-files-" + UUID.randomUUID();
    register(name);
    Map<?, ?> ours = given().get("/api/models/{n}/versions/2", name).as(Map.class);
    Path exported = Path.of(URI.create((String) ours.get("artifactUri")));
    try (MlflowClient reader = client("test-read-token")) {
      String uri = reader.getModelVersionDownloadUri(name, "2");
      assertEquals("mlflow-artifacts:/models/" + name + "/2", uri);
      Path downloaded = Files.createTempDirectory("kft-mlflow-");
      // MLflow's Java client hands artifact downloads to the Python mlflow package; fetch what the
      // URI names through the artifact proxy API it resolves to, as MLflow's Python client does
      download(uri.substring("mlflow-artifacts:/".length()), downloaded);
      assertEquals(digests(exported), digests(downloaded));
      assertEquals(ours.get("sha256"), Sha256.file(downloaded.resolve("model.safetensors")));
    }
  }

  private void download(String path, Path into) throws Exception {
    JsonNode files =
        Json.mapper().readTree(get("?path=" + URLEncoder.encode(path, StandardCharsets.UTF_8)));
    for (JsonNode file : files.get("files")) {
      String child = path + "/" + file.get("path").asText();
      Path target = into.resolve(file.get("path").asText());
      if (file.get("is_dir").asBoolean()) {
        Files.createDirectories(target);
        download(child, target);
      } else {
        Files.write(target, get("/" + child).getBytes(StandardCharsets.ISO_8859_1));
        assertEquals(file.get("file_size").asLong(), Files.size(target));
      }
    }
  }

  private String get(String tail) throws Exception {
    HttpResponse<byte[]> answer =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(
                        root.toURI().resolve("/api/2.0/mlflow-artifacts/artifacts" + tail))
                    .header("Authorization", "Bearer test-read-token")
                    .build(),
                HttpResponse.BodyHandlers.ofByteArray());
    assertEquals(200, answer.statusCode(), tail);
    return new String(answer.body(), StandardCharsets.ISO_8859_1);
  }

  private static Map<String, String> digests(Path dir) throws Exception {
    Map<String, String> digests = new TreeMap<>();
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        digests.put(dir.relativize(f).toString(), Sha256.file(f));
      }
    }
    return digests;
  }
}
