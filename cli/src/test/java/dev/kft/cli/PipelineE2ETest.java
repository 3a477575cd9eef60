package dev.kft.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kft.checkpoint.SafeTensorsReader;
import dev.kft.events.CheckpointEvaluated;
import dev.kft.events.CheckpointSaved;
import dev.kft.events.DatasetPrepared;
import dev.kft.events.Event;
import dev.kft.events.JobAccepted;
import dev.kft.events.JobFailed;
import dev.kft.events.JobRejected;
import dev.kft.events.KafkaAcls;
import dev.kft.events.ModelCandidate;
import dev.kft.events.ModelVersionRegistered;
import dev.kft.events.SubmitJob;
import dev.kft.events.Topics;
import dev.kft.events.TrainingFinished;
import dev.kft.events.TrainingProgress;
import dev.kft.events.TrainingStarted;
import dev.kft.io.FileTrees;
import dev.kft.io.Sha256;
import dev.kft.job.JobSpecs;
import dev.kft.json.Json;
import dev.kft.local.LocalPostgres;
import dev.kft.testing.Eventually;
import dev.kft.testing.KafkaTestClient;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The whole pipeline as users run it: the local stack (a real Kafka broker and PostgreSQL in
 * processes of their own, the four packaged services as separate processes) driven by the kft
 * command. Jobs use the real ChnSentiCorp data and tokenizer with a tiny model.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Tag("e2e")
class PipelineE2ETest {

  private static final Duration WAIT = Duration.ofMinutes(4);

  private TestStack test;
  private Path home;
  private LocalStack stack;
  private Settings settings;
  private KafkaTestClient kafka;
  private MetricsScraper scraper;
  private LocalStack.Ports ports;

  @BeforeAll
  void up() throws Exception {
    test = TestStack.up("e2e", 1);
    home = test.home;
    ports = test.ports;
    stack = test.stack;
    scraper =
        new MetricsScraper(
            IntStream.of(
                    ports.dataPrep(),
                    ports.trainer(),
                    ports.evaluator(),
                    ports.registry(),
                    ports.inference())
                .mapToObj(p -> URI.create("http://127.0.0.1:" + p + "/q/metrics"))
                .toList());
    settings = Settings.load();
    kafka = TestStack.kafkaAdmin(settings);
  }

  @AfterAll
  void down() throws Exception {
    if (scraper != null) {
      scraper.close();
    }
    if (test != null) {
      test.close();
    }
  }

  private Path spec(String name, String training, String registry) throws IOException {
    return spec(name, training, registry, "{type: full}");
  }

  private Path spec(String name, String training, String registry, String method)
      throws IOException {
    Path file = home.resolve(name + ".yaml");
    Files.writeString(
        file,
        """
        model:
          source: bert-base-chinese
          init: random
          config_overrides: {num_hidden_layers: 1, hidden_size: 32, num_attention_heads: 2,
            intermediate_size: 64}
          max_length: 32
        dataset:
          uri: %s
          text_column: review
          label_column: label
        training: {per_device_train_batch_size: 32, per_device_eval_batch_size: 256,
          eval_strategy: steps, %s}
        registry: %s
        method: %s
        """
            .formatted(
                "chnsenticorp/chnsenticorp_htl_all.csv", withDefaults(training), registry, method));
    return file;
  }

  /** The tests' learning rate and logging interval unless {@code training} sets its own. */
  private static String withDefaults(String training) {
    String all = training;
    if (!training.contains("learning_rate:")) {
      all += ", learning_rate: 0.002";
    }
    if (!training.contains("logging_steps:")) {
      all += ", logging_steps: 5";
    }
    return all;
  }

  private record Run(int exit, String out) {}

  private static Run kft(String... args) {
    PrintStream saved = System.out;
    ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    System.setOut(new PrintStream(buffer, true, StandardCharsets.UTF_8));
    try {
      return new Run(Kft.run(args), buffer.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(saved);
      System.out.print(buffer.toString(StandardCharsets.UTF_8));
    }
  }

  /** The job's first event of {@code type} on {@code kft.job-events}. */
  private <T extends Event> T jobEvent(String jobId, Class<T> type) {
    return type.cast(
        kafka
            .awaitEvents(
                Topics.JOB_EVENTS, e -> e.jobId().equals(jobId) && type.isInstance(e), 1, WAIT)
            .get(0));
  }

  private List<Event> events(String topic, String jobId, int count) {
    return kafka.awaitEvents(topic, e -> e.jobId().equals(jobId), count, WAIT);
  }

  /**
   * Runs first: every input of the bad-input catalogue ends in exactly one error that names what is
   * wrong, and the stack keeps serving (the jobs of the other tests run on it afterwards).
   */
  @Test
  @Order(1)
  void everyBadInputEndsInOneErrorNamingWhatIsWrong() throws Exception {
    List<BadInputCatalogue.Case> cases = BadInputCatalogue.cases();
    assertTrue(cases.size() >= 40, cases.size() + " cases");
    Map<BadInputCatalogue.Case, String> errors = new BadInputCheck(settings, home).run(cases);
    List<String> wrong = new ArrayList<>();
    for (BadInputCatalogue.Case c : cases) {
      String error = errors.get(c);
      String line = String.format("%-6s %-38s -> %s", c.kind(), c.name(), error);
      System.out.println(line.strip());
      if (error == null || !error.contains(c.error()) || error.contains(" | ")) {
        wrong.add(line + "\n       expected one error holding: " + c.error());
      }
    }
    assertEquals("", String.join("\n", wrong), "inputs without one clear error");
    assertEquals(
        5,
        stack.status().stream().filter(l -> l.endsWith(", ready")).count(),
        String.join("\n", stack.status()));
  }

  @Test
  void aJobGoesFromSubmitToAReadyVersionAndTheCliServesIt() throws Exception {
    String name = "e2e-" + UUID.randomUUID().toString().substring(0, 8);
    Path spec =
        spec(
            "full",
            "max_steps: 20, eval_steps: 10, save_steps: 10",
            "{model_name: %s, approval: 'eval_accuracy >= 0.5', aliases: [staging]}"
                .formatted(name));
    Run submitted = kft("submit", spec.toString(), "--watch", "--timeout-minutes", "4");
    assertEquals(0, submitted.exit(), submitted.out());
    String jobId = submitted.out().lines().findFirst().orElseThrow();
    for (String step :
        List.of(
            "accepted:",
            "data:",
            "training (full)",
            "progress: step 20/20",
            "eval step 20",
            "candidate:",
            "registered " + name + " v1")) {
      assertTrue(submitted.out().contains(step), "watch shows " + step);
    }

    List<Event> story =
        kafka.awaitEvents(
            Topics.JOB_EVENTS,
            e -> e.jobId().equals(jobId) && !(e instanceof TrainingProgress),
            4,
            WAIT);
    assertInstanceOf(JobAccepted.class, story.get(0));
    assertInstanceOf(DatasetPrepared.class, story.get(1));
    assertInstanceOf(TrainingStarted.class, story.get(2));
    TrainingFinished finished = assertInstanceOf(TrainingFinished.class, story.get(3));
    assertEquals(TrainingFinished.Reason.COMPLETED, finished.reason());
    assertEquals(
        4,
        events(Topics.JOB_EVENTS, jobId, 8).stream()
            .filter(e -> e instanceof TrainingProgress)
            .count(),
        "a progress report every 5 of 20 steps");
    assertEquals(
        List.of(10L, 20L),
        events(Topics.CHECKPOINTS, jobId, 2).stream()
            .map(e -> ((CheckpointSaved) e).step())
            .toList());
    List<Event> evaluations = events(Topics.EVALUATIONS, jobId, 3);
    assertInstanceOf(CheckpointEvaluated.class, evaluations.get(0));
    ModelCandidate candidate = assertInstanceOf(ModelCandidate.class, evaluations.get(2));
    assertTrue(
        candidate.testMetrics().get("test_accuracy") > 0.5, candidate.testMetrics().toString());
    assertInstanceOf(ModelVersionRegistered.class, events(Topics.MODELS, jobId, 1).get(0));

    JsonNode version = ApiClient.registry(settings).get("/api/models/" + name + "/versions/1");
    assertEquals("READY", version.path("status").asText());
    assertEquals(jobId, version.path("jobId").asText());

    Run models = kft("models");
    assertTrue(models.out().contains(name), models.out());
    Run jobs = kft("job", jobId);
    assertTrue(jobs.out().contains("COMPLETED"), jobs.out());
    inTheOrderItHappened(kft("watch", jobId), name);
    loggedAsJsonWithItsJobId(jobId);
    JsonNode listed = Json.mapper().readTree(kft("jobs", "-o", "json").out());
    assertTrue(listed.findValuesAsText("jobId").contains(jobId), "kft jobs -o json lists it");
    Path target = home.resolve("downloaded");
    Run download = kft("download", name + "@staging", target.toString());
    assertEquals(0, download.exit(), download.out());
    predictionsOf(name, target);
    sameAsTheEvaluator(name, target.resolve("test_predictions.jsonl"));
    for (String file :
        List.of(
            "config.json",
            "model.safetensors",
            "tokenizer.json",
            "README.md",
            "confusion_matrix.svg",
            "loss.svg",
            "evaluation.svg")) {
      assertTrue(Files.isRegularFile(target.resolve(file)), file + " downloaded");
      if (file.endsWith(".svg")) {
        assertTrue(
            Files.readString(target.resolve("README.md")).contains("](" + file + ")"),
            "the model card shows " + file);
      }
    }
  }

  /**
   * A user who can reach only the registry's HTTP API (a remote deployment) submits and follows a
   * job with --registry-url: the spec goes through POST /api/jobs, the story through the job's
   * event stream.
   */
  @Test
  void aJobIsSubmittedAndFollowedOverHttpAlone() throws Exception {
    String name = "http-" + UUID.randomUUID().toString().substring(0, 8);
    Path spec =
        spec(
            "full",
            "max_steps: 10, eval_steps: 10, save_steps: 10",
            "{model_name: %s, approval: 'eval_accuracy >= 0.0'}".formatted(name));
    Run submitted =
        kft(
            "submit",
            spec.toString(),
            "--registry-url",
            settings.registry(),
            "--watch",
            "--timeout-minutes",
            "4");
    inOrder(
        submitted,
        List.of(
            "accepted:", "data:", "training (full)", "eval step 10", "registered " + name + " v1"));
  }

  /**
   * The services log JSON, as in production, and the trainer's lines about the job (written on its
   * worker thread) carry the job's id in a field of their own.
   */
  private void loggedAsJsonWithItsJobId(String jobId) throws Exception {
    List<String> lines;
    try (var logs = Files.list(home.resolve("logs"))) {
      lines = new ArrayList<>();
      for (Path log : logs.filter(f -> f.getFileName().toString().startsWith("trainer")).toList()) {
        lines.addAll(Files.readAllLines(log));
      }
    }
    List<JsonNode> mine = new ArrayList<>();
    for (String line : lines) {
      if (line.startsWith("{") && line.contains(jobId)) {
        mine.add(Json.mapper().readTree(line));
      }
    }
    assertTrue(
        mine.stream()
            .anyMatch(
                l ->
                    l.path("mdc").path("job_id").asText().equals(jobId)
                        && l.path("message").asText().contains(" steps from step ")),
        "a JSON line with the job's job_id: " + mine);
  }

  /**
   * A watch of a finished job replays its story in the order it happened, although its events lie
   * on three topics read partition by partition.
   */
  private static void inTheOrderItHappened(Run replay, String name) {
    inOrder(
        replay,
        List.of(
            "accepted:",
            "data:",
            "training (full)",
            "eval step 10",
            "eval step 20",
            "candidate:",
            "registered " + name));
  }

  /** A run that ended well and printed each of {@code steps}, each after the one before. */
  private static void inOrder(Run run, List<String> steps) {
    assertEquals(0, run.exit(), run.out());
    int last = -1;
    for (String step : steps) {
      int at = run.out().indexOf(step);
      assertTrue(at > last, step + " comes after the step before it:\n" + run.out());
      last = at;
    }
  }

  /**
   * The inference service gives every test row the labels and probabilities the evaluator gave it
   * (the rows' texts as the evaluator recorded them), and kft model --errors shows its mistakes.
   */
  private void sameAsTheEvaluator(String name, Path predictions) throws Exception {
    List<JsonNode> rows = new java.util.ArrayList<>();
    for (String line : Files.readAllLines(predictions)) {
      rows.add(Json.mapper().readTree(line));
    }
    assertTrue(rows.size() > 500, rows.size() + " test rows");
    double maxDiff = 0;
    int sameLabel = 0;
    for (int start = 0; start < rows.size(); start += 200) {
      List<JsonNode> batch = rows.subList(start, Math.min(rows.size(), start + 200));
      JsonNode answer =
          ApiClient.inference(settings)
              .post(
                  "/api/predict/" + name + ":1",
                  Map.of("inputs", batch.stream().map(r -> r.path("text").asText()).toList()));
      for (int i = 0; i < batch.size(); i++) {
        JsonNode best = answer.path("predictions").get(i).get(0);
        JsonNode row = batch.get(i);
        sameLabel += best.path("label").asText().equals(row.path("predicted").asText()) ? 1 : 0;
        double evaluator = row.path("probabilities").path(best.path("label").asText()).asDouble();
        maxDiff = Math.max(maxDiff, Math.abs(best.path("score").asDouble() - evaluator));
      }
    }
    System.out.printf(
        "inference vs evaluator on %d test rows: %d same label, max |Δp| %.2g%n",
        rows.size(), sameLabel, maxDiff);
    assertEquals(rows.size(), sameLabel, "the evaluator's predicted label for every row");
    assertTrue(maxDiff <= 1e-5, "max |Δp| " + maxDiff);
    Run errors = kft("model", name + ":1", "--errors", "--limit", "3");
    assertEquals(0, errors.exit(), errors.out());
    assertTrue(errors.out().contains("most confident mistakes"), errors.out());
  }

  /**
   * The stack's inference service classifies with the registered version, from kft predict; and kft
   * predict --local gives the same answers from the downloaded directory without the service.
   */
  private void predictionsOf(String name, Path downloaded) throws Exception {
    Run shown = kft("predict", name + "@staging", "房间很干净，服务很好", "太差了", "--top-k", "2");
    assertEquals(0, shown.exit(), shown.out());
    List<String> rows = shown.out().lines().toList();
    assertEquals(2, rows.size(), shown.out());
    assertTrue(rows.get(1).endsWith("太差了"), rows.get(1));
    Path csv =
        Files.writeString(home.resolve("texts.csv"), "id,review\n1,早餐一般\n2,\"差, 很差\"\n3,还行\n");
    Path out = home.resolve("predictions.jsonl");
    Run filed =
        kft(
            "predict",
            name + ":1",
            "--file",
            csv.toString(),
            "--text-column",
            "review",
            "--output",
            out.toString());
    assertEquals(0, filed.exit(), filed.out());
    List<String> lines = Files.readAllLines(out);
    assertEquals(3, lines.size(), lines.toString());
    JsonNode second = Json.mapper().readTree(lines.get(1));
    assertEquals("差, 很差", second.path("text").asText());
    assertEquals(1, second.path("version").asInt());
    double score = second.path("predictions").get(0).path("score").asDouble();
    assertTrue(score >= 0.5 && score <= 1, "the most probable of two labels: " + score);
    assertTrue(
        Set.of("0", "1").contains(second.path("predictions").get(0).path("label").asText()),
        second.toString());

    Path localOut = home.resolve("local-predictions.jsonl");
    Run local =
        kft(
            "predict",
            "--local",
            downloaded.toString(),
            "--file",
            csv.toString(),
            "--text-column",
            "review",
            "--output",
            localOut.toString());
    assertEquals(0, local.exit(), local.out());
    List<String> localLines = Files.readAllLines(localOut);
    assertEquals(lines.size(), localLines.size(), localLines.toString());
    for (int i = 0; i < lines.size(); i++) {
      JsonNode service = Json.mapper().readTree(lines.get(i)).path("predictions").get(0);
      JsonNode alone = Json.mapper().readTree(localLines.get(i)).path("predictions").get(0);
      assertEquals(service.path("label").asText(), alone.path("label").asText(), localLines.get(i));
      double diff = Math.abs(service.path("score").asDouble() - alone.path("score").asDouble());
      assertTrue(diff <= 1e-6, "--local differs from the service by " + diff);
    }
    Run missing = kft("predict", "--local", home.resolve("nowhere").toString(), "早餐一般");
    assertEquals(1, missing.exit(), missing.out());
  }

  /**
   * The local stack listens on loopback alone (every service, the broker, PostgreSQL), and its
   * registry token is on no command line (which any local user can read in /proc) and in files only
   * their owner can read.
   */
  @Test
  void theStackListensOnLoopbackAloneAndKeepsItsSecretsPrivate() throws Exception {
    String token = settings.token();
    assertTrue(token.length() >= 64, "32 random bytes, hex: " + token.length());
    List<String> secrets = new ArrayList<>(List.of(token));
    KafkaUsers users = KafkaUsers.load(home).orElseThrow();
    secrets.add(users.adminPassword());
    secrets.add(Files.readString(home.resolve("postgres.password")).trim());
    secrets.addAll(users.principals().values());
    for (String name :
        List.of(
            "kafka", "postgres", "data-prep", "trainer", "evaluator", "registry", "inference")) {
      long pid = stack.running(name).orElseThrow().pid();
      String cmdline = Files.readString(Path.of("/proc", Long.toString(pid), "cmdline"));
      assertTrue(secrets.stream().noneMatch(cmdline::contains), name + "'s command line: a secret");
    }
    assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(home)));
    for (String file : List.of("token", Settings.FILE, KafkaUsers.FILE, "postgres.password")) {
      assertEquals(
          "rw-------",
          PosixFilePermissions.toString(Files.getPosixFilePermissions(home.resolve(file))),
          file);
    }
    Map<Integer, Set<String>> listening = listeningAddresses();
    for (int port :
        List.of(
            ports.kafka(),
            ports.postgres(),
            ports.dataPrep(),
            ports.trainer(),
            ports.evaluator(),
            ports.registry(),
            ports.inference())) {
      // 127.0.0.1 as /proc/net/tcp writes it, as tcp6 writes it v4-mapped, and ::1
      Set<String> loopback =
          Set.of(
              "0100007F", "0000000000000000FFFF00000100007F", "00000000000000000000000001000000");
      Set<String> on = listening.getOrDefault(port, Set.of());
      assertTrue(!on.isEmpty() && loopback.containsAll(on), "port " + port + " listens on " + on);
    }
    kafkaKnowsItsUsers(users);
  }

  /** The broker turns strangers away, and the command's own user cannot register a version. */
  private void kafkaKnowsItsUsers(KafkaUsers users) throws Exception {
    Map<String, Object> stranger =
        Map.of(
            "bootstrap.servers", settings.kafka(),
            "default.api.timeout.ms", 8000,
            "request.timeout.ms", 4000);
    try (Admin admin = Admin.create(stranger)) {
      Exception e =
          assertThrows(ExecutionException.class, () -> admin.describeCluster().nodes().get());
      assertInstanceOf(org.apache.kafka.common.errors.TimeoutException.class, e.getCause());
    }
    Map<String, Object> cli = new HashMap<>(users.clientSettings(KafkaAcls.CLI));
    cli.putAll(Map.of("bootstrap.servers", settings.kafka(), "max.block.ms", 8000));
    try (KafkaProducer<String, byte[]> producer =
        new KafkaProducer<>(cli, new StringSerializer(), new ByteArraySerializer())) {
      Exception e =
          assertThrows(
              ExecutionException.class,
              () -> producer.send(new ProducerRecord<>(Topics.MODELS, "x", new byte[1])).get());
      assertInstanceOf(TopicAuthorizationException.class, e.getCause());
    }
  }

  /**
   * The packaged registry, outside dev and test mode, refuses to start with a default token; it
   * gets the stack's database (its migrations run first) and a Kafka nobody answers, so that it
   * touches nothing of the running stack.
   */
  @Test
  void aRegistryWithADefaultTokenRefusesToStart() throws Exception {
    Path jar = TestStack.ROOT.resolve("registry-service/target/quarkus-app/quarkus-run.jar");
    Path log = Files.createTempFile(home, "weak-registry-", ".log");
    ProcessBuilder builder =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dkafka.bootstrap.servers=127.0.0.1:9",
                "-Dquarkus.http.host=127.0.0.1",
                "-Dquarkus.http.port=0",
                "-Dquarkus.datasource.jdbc.url=jdbc:postgresql://127.0.0.1:"
                    + ports.postgres()
                    + "/postgres",
                "-jar",
                jar.toString())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    builder.environment().put("KFT_REGISTRY_API_TOKEN", "change-me");
    builder
        .environment()
        .put(
            "KFT_REGISTRY_DB_PASSWORD", Files.readString(home.resolve("postgres.password")).trim());
    Process registry = builder.start();
    try {
      assertTrue(
          registry.waitFor(2, java.util.concurrent.TimeUnit.MINUTES),
          "the registry kept running with the token change-me");
    } finally {
      registry.destroyForcibly();
    }
    String out = Files.readString(log);
    assertNotEquals(0, registry.exitValue(), out);
    assertTrue(out.contains("kft.registry.api-token: the token is a known default"), out);
  }

  /** Per port, the local addresses with a listening socket (IPv4 and IPv6), from /proc/net. */
  private static Map<Integer, Set<String>> listeningAddresses() throws Exception {
    Map<Integer, Set<String>> listening = new TreeMap<>();
    for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
      List<String> lines = Files.readAllLines(Path.of(table));
      for (String line : lines.subList(1, lines.size())) {
        String[] f = line.trim().split("\\s+");
        if (f[3].equals("0A")) {
          String[] local = f[1].split(":");
          listening
              .computeIfAbsent(Integer.parseInt(local[1], 16), p -> new TreeSet<>())
              .add(local[0]);
        }
      }
    }
    return listening;
  }

  /**
   * A topic scored by a deployment that follows an alias: two versions of one model, {@value
   * StreamScoringCheck#TOTAL} records in three rounds (the alias moved after the first, the
   * inference service killed with SIGKILL and restarted as the last arrives): every record scored
   * exactly once, by the version its round allows.
   */
  @Test
  void aScoringDeploymentScoresEveryRecordOnceAndFollowsItsAlias() throws Exception {
    String name = "e2e-stream-" + UUID.randomUUID().toString().substring(0, 8);
    for (int seed = 1; seed <= 2; seed++) {
      Path spec =
          spec(
              "stream" + seed,
              "max_steps: 10, eval_steps: 10, save_steps: 10, seed: " + seed,
              "{model_name: %s}".formatted(name));
      Run trained = kft("submit", spec.toString(), "--watch", "--timeout-minutes", "4");
      assertEquals(0, trained.exit(), trained.out());
    }
    assertEquals(0, kft("alias", name, "1", "live").exit());
    String suffix = UUID.randomUUID().toString().substring(0, 8);
    StreamScoringCheck stream =
        new StreamScoringCheck(settings, "reviews-" + suffix, "scored-" + suffix);
    Run served =
        kft(
            "serve",
            name + "@live",
            "--from",
            "reviews-" + suffix,
            "--to",
            "scored-" + suffix,
            "--text-field",
            "review",
            "--name",
            "stream-" + suffix);
    assertEquals(0, served.exit(), served.out());
    stream.produce(0, 3000);
    stream.awaitScored(3000);
    assertEquals(0, kft("alias", name, "2", "live").exit());
    // the service that scores answers with the version its catalog resolves the alias to now
    StreamScoringCheck.await(
        () -> predictedBy(name + "@live") == 2, "the inference service to follow the alias");
    stream.produce(3000, 6000);
    stream.awaitScored(6000);
    stream.produce(6000, StreamScoringCheck.TOTAL);
    stack.kill("inference");
    stack.up();
    stream.awaitScored(StreamScoringCheck.TOTAL);
    System.out.println(stream.check("stream-" + suffix, 3000, 6000));
    assertTrue(kft("serve", "--list").out().contains("stream-" + suffix));
    assertEquals(0, kft("serve", "--remove", "stream-" + suffix).exit());
  }

  /** The version the inference service answers {@code reference} with, 0 when it cannot. */
  private int predictedBy(String reference) {
    try {
      return ApiClient.inference(settings)
          .post("/api/predict/" + reference, Map.of("inputs", "房间很干净"))
          .path("version")
          .asInt();
    } catch (Exception e) {
      return 0;
    }
  }

  @Test
  void aLoraJobCheckpointsOnlyItsTensorsAndIsRegisteredMergedWithItsAdapter() throws Exception {
    String name = "e2e-lora-" + UUID.randomUUID().toString().substring(0, 8);
    Path spec =
        spec(
            "lora",
            "max_steps: 10, eval_steps: 10, save_steps: 10",
            "{model_name: %s, approval: 'eval_accuracy >= 0.0'}".formatted(name),
            "{type: lora, lora: {r: 8, lora_alpha: 16}}");
    Files.writeString(
        spec,
        Files.readString(spec)
            .replace("max_length: 32", "max_length: 32\n  prune_vocabulary: true"));
    Run submitted = kft("submit", spec.toString(), "--watch", "--timeout-minutes", "4");
    assertEquals(0, submitted.exit(), submitted.out());
    String jobId = submitted.out().lines().findFirst().orElseThrow();
    assertTrue(submitted.out().contains("vocabulary pruned to "), "watch shows the pruning");
    DatasetPrepared prepared = jobEvent(jobId, DatasetPrepared.class);
    TrainingStarted started = jobEvent(jobId, TrainingStarted.class);
    // r·(32 + 32) for query and value of the one layer, plus the classifier (32·2 + 2)
    assertEquals(2 * 8 * 64 + 66, started.trainableParameters().trainable());
    CheckpointSaved saved = (CheckpointSaved) events(Topics.CHECKPOINTS, jobId, 1).get(0);
    assertTrue(saved.trainableOnly(), "a LoRA checkpoint holds only the trained tensors");
    assertTrue(
        saved.sizeBytes() < 4 * started.trainableParameters().trainable() + 4096,
        saved.sizeBytes() + " bytes");
    ModelCandidate candidate =
        assertInstanceOf(ModelCandidate.class, events(Topics.EVALUATIONS, jobId, 2).get(1));
    assertTrue(candidate.trainableOnly());
    assertInstanceOf(ModelVersionRegistered.class, events(Topics.MODELS, jobId, 1).get(0));

    Path target = home.resolve("downloaded-lora");
    Run download = kft("download", name + ":1", target.toString());
    assertEquals(0, download.exit(), download.out());
    for (String file :
        List.of(
            "config.json",
            "model.safetensors",
            "README.md",
            "adapter/adapter_config.json",
            "adapter/adapter_model.safetensors")) {
      assertTrue(Files.isRegularFile(target.resolve(file)), file + " downloaded");
      if (file.endsWith(".svg")) {
        assertTrue(
            Files.readString(target.resolve("README.md")).contains("](" + file + ")"),
            "the model card shows " + file);
      }
    }
    assertTrue(
        Files.readString(target.resolve("adapter/adapter_config.json")).contains("\"LORA\""));
    int kept = prepared.vocabulary().keptTokens();
    assertTrue(kept > 1000 && kept < 21128, kept + " tokens kept");
    assertEquals(
        kept,
        Json.mapper().readTree(target.resolve("config.json").toFile()).path("vocab_size").asInt());
    assertEquals(kept, Files.readAllLines(target.resolve("vocab.txt")).size());
    assertEquals(prepared.tokenizerSha256(), Sha256.file(target.resolve("tokenizer.json")));
    assertTrue(Files.readString(target.resolve("README.md")).contains("pruned to the " + kept));
  }

  @Test
  void aJobWhoseMetricStopsImprovingIsStoppedEarlyAndStillRegistered() throws Exception {
    String name = "e2e-early-" + UUID.randomUUID().toString().substring(0, 8);
    // a learning rate too small to move the loss by the threshold: no evaluation counts as better
    Path spec =
        spec(
            "early",
            "learning_rate: 1.0e-9, max_steps: 400, eval_steps: 5, save_steps: 5,"
                + " load_best_model_at_end: true, metric_for_best_model: loss,"
                + " early_stopping_patience: 2, early_stopping_threshold: 0.01",
            "{model_name: %s}".formatted(name));
    Run submitted = kft("submit", spec.toString(), "--watch", "--timeout-minutes", "4");
    assertEquals(0, submitted.exit(), submitted.out());
    String jobId = submitted.out().lines().findFirst().orElseThrow();
    TrainingFinished finished = jobEvent(jobId, TrainingFinished.class);
    assertEquals(TrainingFinished.Reason.EARLY_STOPPED, finished.reason());
    assertTrue(finished.step() < 400, "stopped at step " + finished.step());
    JsonNode job = ApiClient.registry(settings).get("/api/jobs/" + jobId);
    assertEquals("EARLY_STOPPED", job.path("status").asText());
  }

  @Test
  void rejectedAndFailedJobsEndWithReasonsAndTheStackKeepsServing() throws Exception {
    String rejected = UUID.randomUUID().toString();
    SubmitCommand.publish(
        settings,
        new SubmitJob(
            Event.newId(),
            rejected,
            Instant.now(),
            JobSpecs.parse(
                "{model: {source: bert-base-chinese}, dataset: {uri: x.csv},"
                    + " training: {learning_rate: -1}, registry: {model_name: r}}"),
            "e2e"));
    JobRejected rejection = jobEvent(rejected, JobRejected.class);
    assertTrue(rejection.toString().contains("training.learning_rate"), rejection.toString());

    Path missing =
        Files.writeString(
            home.resolve("missing.yaml"),
            Files.readString(spec("tmp", "max_steps: 5, eval_steps: 5", "{model_name: never}"))
                .replace("chnsenticorp/chnsenticorp_htl_all.csv", "chnsenticorp/no-such-file.csv"));
    Run submitted = kft("submit", missing.toString(), "--watch", "--timeout-minutes", "4");
    assertEquals(JobWatch.FAILED, submitted.exit(), submitted.out());
    assertTrue(submitted.out().contains("no-such-file.csv"), submitted.out());
    String failedId = submitted.out().lines().findFirst().orElseThrow();
    assertInstanceOf(JobFailed.class, jobEvent(failedId, JobFailed.class));
    for (String line : stack.status()) {
      if (line.contains("http")) {
        assertTrue(line.contains("ready"), line);
      }
    }
    assertTrue(
        stack.status().stream().filter(l -> l.endsWith(", ready")).count() == 5,
        String.join("\n", stack.status()));
  }

  @Test
  void aTrainerKilledMidJobResumesByItselfToTheWeightsOfAnUninterruptedRun() throws Exception {
    String training = "max_steps: 120, eval_steps: 20, save_steps: 20, logging_steps: 5";
    Path spec = spec("resume", training, "{model_name: e2e-resume}");
    String whole = kft("submit", spec.toString(), "--watch", "--timeout-minutes", "4").out();
    String wholeId = whole.lines().findFirst().orElseThrow();
    CheckpointSaved wholeLast = lastCheckpoint(wholeId);

    String interruptedId = UUID.randomUUID().toString();
    SubmitCommand.publish(
        settings,
        new SubmitJob(Event.newId(), interruptedId, Instant.now(), JobSpecs.read(spec), "e2e"));
    kafka.awaitEvents(Topics.CHECKPOINTS, e -> e.jobId().equals(interruptedId), 1, WAIT);
    stack.kill("trainer");
    stack.up();
    CheckpointSaved resumedLast = lastCheckpoint(interruptedId);
    TrainingStarted resumed =
        (TrainingStarted)
            kafka
                .awaitEvents(
                    Topics.JOB_EVENTS,
                    e -> e.jobId().equals(interruptedId) && e instanceof TrainingStarted,
                    2,
                    WAIT)
                .get(1);
    assertTrue(
        resumed.resumedFromStep() >= 20 && resumed.resumedFromStep() < 120,
        "resumed mid-run, from step " + resumed.resumedFromStep());
    assertEquals(120, resumedLast.step());
    double maxDelta = maxDifference(wholeLast, resumedLast);
    System.out.println(
        "kill -9 at step >= 20, resumed from step "
            + resumed.resumedFromStep()
            + ": max |delta w| vs uninterrupted = "
            + maxDelta);
    assertTrue(maxDelta <= 1e-5, "max |delta w| " + maxDelta);
  }

  /**
   * The stack keeps track of its own processes: PostgreSQL whose launcher was killed is stopped and
   * started again by the next {@code kft up} (and the registry rides the outage out), and a second
   * stack on the same ports says in one line which port is taken by which process.
   */
  @Test
  void theStackRecoversItsPostgresAndReportsATakenPort() throws Exception {
    ProcessHandle launcher = stack.running("postgres").orElseThrow();
    ProcessHandle server = LocalPostgres.server(stack.postgresData()).orElseThrow();
    stack.kill("postgres");
    assertTrue(server.isAlive(), "the server outlives its launcher, as after a crash");
    stack.up();
    assertFalse(server.isAlive(), "the orphaned server was stopped");
    ProcessHandle restarted = LocalPostgres.server(stack.postgresData()).orElseThrow();
    assertNotEquals(server.pid(), restarted.pid());
    assertNotEquals(launcher.pid(), stack.running("postgres").orElseThrow().pid());
    Eventually.await(
        WAIT, () -> assertEquals(0, kft("models").exit(), "the registry reads its database again"));

    Path other = Files.createTempDirectory("kft-e2e-other-");
    System.setProperty("kft.home", other.toString());
    try {
      IOException taken =
          assertThrows(IOException.class, () -> new LocalStack(Settings.load(), ports, 1).up());
      assertTrue(
          taken.getMessage().startsWith("port " + ports.kafka() + " (kafka) is taken by pid "),
          taken.getMessage());
      assertFalse(taken.getMessage().contains("\n"), taken.getMessage());
    } finally {
      System.setProperty("kft.home", home.toString());
      FileTrees.delete(other);
    }
  }

  private CheckpointSaved lastCheckpoint(String jobId) {
    return (CheckpointSaved)
        kafka
            .awaitEvents(
                Topics.CHECKPOINTS,
                e -> e.jobId().equals(jobId) && ((CheckpointSaved) e).last(),
                1,
                WAIT)
            .get(0);
  }

  private static double maxDifference(CheckpointSaved a, CheckpointSaved b) throws IOException {
    Path fa = Path.of(java.net.URI.create(a.uri())).resolve("model.safetensors");
    Path fb = Path.of(java.net.URI.create(b.uri())).resolve("model.safetensors");
    double max = 0;
    try (SafeTensorsReader ra = SafeTensorsReader.open(fa);
        SafeTensorsReader rb = SafeTensorsReader.open(fb)) {
      assertEquals(ra.entries().keySet(), rb.entries().keySet());
      for (String name : ra.entries().keySet()) {
        float[] va = ra.read(name).values();
        float[] vb = rb.read(name).values();
        for (int i = 0; i < va.length; i++) {
          max = Math.max(max, Math.abs(va[i] - vb[i]));
        }
      }
    }
    return max;
  }

  /**
   * Runs after the jobs: every metric the Grafana dashboards query was exposed by a running service
   * at some point (Prometheus adds {@code up} itself).
   */
  @Test
  @Order(Integer.MAX_VALUE)
  void theDashboardsQueryOnlyMetricsTheServicesExpose() throws Exception {
    Set<String> missing = new TreeSet<>(DashboardMetrics.names());
    missing.remove("up");
    missing.removeAll(scraper.names());
    assertEquals(Set.of(), missing, "dashboard metrics no service exposed");
  }

  /**
   * Runs after the jobs: a real Prometheus scrapes the five services as the compose stack's does
   * and answers queries the dashboards make with non-empty series.
   */
  @Test
  @Order(Integer.MAX_VALUE)
  void aRealPrometheusScrapesTheServices() throws Exception {
    assumeTrue(Files.isExecutable(LocalPrometheus.BINARY), "Debian's prometheus is not installed");
    Map<String, String> targets = new TreeMap<>();
    targets.put("data-prep", "127.0.0.1:" + ports.dataPrep());
    targets.put("trainer", "127.0.0.1:" + ports.trainer());
    targets.put("evaluator", "127.0.0.1:" + ports.evaluator());
    targets.put("registry", "127.0.0.1:" + ports.registry());
    targets.put("inference", "127.0.0.1:" + ports.inference());
    Path dir = Files.createDirectories(home.resolve("prometheus"));
    try (LocalPrometheus prometheus = new LocalPrometheus(dir, targets)) {
      Instant deadline = Instant.now().plus(Duration.ofSeconds(90));
      JsonNode up = Json.mapper().createArrayNode();
      JsonNode jobs = up;
      while (Instant.now().isBefore(deadline) && (up.size() < 5 || jobs.isEmpty())) {
        Thread.sleep(1000);
        up = prometheus.query("up{job=\"kft\"} == 1");
        jobs = prometheus.query("sum by (outcome) (kft_trainer_jobs_total)");
      }
      assertEquals(5, up.size(), "all five services scraped: " + up);
      assertTrue(jobs.size() > 0, "training jobs by outcome: " + jobs);
    }
  }
}
