package dev.kft.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kft.checkpoint.SafeTensorsReader;
import dev.kft.events.Event;
import dev.kft.events.EventDeserializer;
import dev.kft.events.ModelCandidate;
import dev.kft.events.ModelVersionRegistered;
import dev.kft.events.SubmitJob;
import dev.kft.events.Topics;
import dev.kft.events.TrainingFinished;
import dev.kft.events.TrainingStarted;
import dev.kft.job.JobSpecs;
import dev.kft.local.LocalPostgres;
import dev.kft.testing.Eventually;
import dev.kft.testing.KafkaTestClient;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The local stack with two instances each of data-prep, the trainer, the evaluator and the
 * inference service, under faults while four jobs run and a scoring deployment scores a topic: a
 * service instance killed (SIGKILL) and restarted every 20 s, the broker killed and kept down
 * longer than every client timeout, PostgreSQL restarted while candidates are registered, and a
 * record that is not a kft event on each input topic. Every job must end with exactly one version
 * whose weights equal those of the same job run undisturbed, and every record of the topic must be
 * scored exactly once.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Tag("e2e")
class ChaosE2ETest {

  private static final int JOBS = 4;
  private static final String SCORING = "chaos-scoring";
  private static final Duration KILL_EVERY = Duration.ofSeconds(20);

  /** Longer than the longest client timeout of the services (120 s: delivery, batch reads). */
  private static final Duration BROKER_OUTAGE = Duration.ofSeconds(150);

  private TestStack test;
  private Path home;
  private LocalStack stack;
  private KafkaTestClient kafka;
  private final Random random = new Random();
  private final List<String> log = new ArrayList<>();
  private int kills;
  private StreamScoringCheck scoring;

  @BeforeAll
  void up() throws Exception {
    test = TestStack.up("chaos", 2);
    stack = test.stack;
    home = test.home;
    kafka = TestStack.kafkaAdmin(Settings.load());
  }

  @AfterAll
  void down() throws Exception {
    if (test != null) {
      test.close();
    }
  }

  @Test
  void everyJobEndsOnceWithTheWeightsOfAnUndisturbedRun() throws Exception {
    Map<String, String> reference = submit("reference");
    awaitRegistered(reference.keySet(), Duration.ofMinutes(6));
    Map<String, String> poison = poisonEveryInputTopic();
    scoring = scoreATopic();
    Map<String, String> chaos = submit("chaos");
    Instant began = Instant.now();
    scoring.produce(0, StreamScoringCheck.TOTAL / 2);
    runChaos(chaos.keySet());
    Duration took = Duration.between(began, Instant.now());

    long events = 0;
    long duplicates = 0;
    long lost = 0;
    for (String jobId : chaos.keySet()) {
      for (long n :
          List.of(
              count(Topics.JOB_EVENTS, jobId, TrainingFinished.class),
              count(Topics.MODELS, jobId, ModelVersionRegistered.class))) {
        events += n;
        duplicates += Math.max(0, n - 1);
        lost += n == 0 ? 1 : 0;
      }
    }
    int compared = 0;
    for (int i = 0; i < JOBS; i++) {
      compared += sameWeights(name("reference", i), name("chaos", i));
    }
    int parked = assertOnlyPoisonParked(poison);
    scoring.awaitScored(StreamScoringCheck.TOTAL);
    // one version throughout: every record must be scored by version 1, and exactly once
    String scored = scoring.check(SCORING, StreamScoringCheck.TOTAL, StreamScoringCheck.TOTAL);
    Eventually.await(Duration.ofMinutes(3), this::assertEveryPartReady);
    System.out.printf(
        "chaos: %d jobs in %d s, %d kills and restarts, 1 broker outage of %d s, 1 PostgreSQL"
            + " restart, %d poison records (%d parkings), %d TrainingFinished and"
            + " ModelVersionRegistered events checked, %d tensors bit-identical to the undisturbed"
            + " runs; duplicates found = %d, lost = %d%n%s%n%s%n",
        JOBS,
        took.toSeconds(),
        kills,
        BROKER_OUTAGE.toSeconds(),
        poison.size(),
        parked,
        events,
        compared,
        duplicates,
        lost,
        scored,
        String.join("\n", log));
    assertEquals(0, duplicates, "end events published more than once");
    assertEquals(0, lost, "end events never published");
  }

  /**
   * Declares the scoring deployment {@value #SCORING}: the first undisturbed job's version scores a
   * topic of 3 partitions, shared by the two inference instances.
   */
  private StreamScoringCheck scoreATopic() throws Exception {
    StreamScoringCheck scoring =
        new StreamScoringCheck(Settings.load(), "chaos-reviews", "chaos-reviews-scored");
    int served =
        Kft.run(
            "serve",
            name("reference", 0) + ":1",
            "--from",
            "chaos-reviews",
            "--to",
            "chaos-reviews-scored",
            "--text-field",
            "review",
            "--name",
            SCORING);
    assertEquals(0, served, "kft serve");
    return scoring;
  }

  /** Faults until every chaos job has a registered version. */
  private void runChaos(Set<String> jobs) throws Exception {
    Instant deadline = Instant.now().plus(Duration.ofMinutes(16));
    Instant nextKill = Instant.now().plus(KILL_EVERY);
    while (!seen(Topics.JOB_EVENTS, jobs, TrainingStarted.class)) {
      nextKill = killWhenDue(nextKill);
      Thread.sleep(1000);
    }
    stack.kill("kafka");
    note("broker killed");
    Instant back = Instant.now().plus(BROKER_OUTAGE);
    while (Instant.now().isBefore(back)) {
      nextKill = killWhenDue(nextKill);
      Thread.sleep(1000);
    }
    stack.start("kafka");
    note("broker restarted");
    scoring.produce(StreamScoringCheck.TOTAL / 2, StreamScoringCheck.TOTAL);
    note("second half of the records to score produced");
    boolean postgresRestarted = false;
    while (!all(Topics.MODELS, jobs, ModelVersionRegistered.class)) {
      assertTrue(Instant.now().isBefore(deadline), "jobs still unregistered; " + log);
      if (!postgresRestarted && seen(Topics.EVALUATIONS, jobs, ModelCandidate.class)) {
        stack.kill("postgres");
        LocalPostgres.stop(stack.postgresData());
        stack.start("postgres");
        note("postgres restarted");
        postgresRestarted = true;
      }
      nextKill = killWhenDue(nextKill);
      Thread.sleep(2000);
    }
  }

  private Instant killWhenDue(Instant due) throws IOException, InterruptedException {
    if (Instant.now().isBefore(due)) {
      return due;
    }
    List<String> services =
        stack.parts(StackSecrets.NONE).stream()
            .map(LocalStack.Part::name)
            .filter(n -> !n.equals("kafka") && !n.equals("postgres"))
            .toList();
    String victim = services.get(random.nextInt(services.size()));
    stack.kill(victim);
    stack.start(victim);
    kills++;
    note("killed and restarted " + victim);
    return Instant.now().plus(KILL_EVERY);
  }

  private void note(String what) {
    log.add(Instant.now() + " " + what);
  }

  /** Submits the four jobs, with model names {@code <prefix>-<i>}; returns job id to name. */
  private Map<String, String> submit(String prefix) throws Exception {
    Map<String, String> jobs = new LinkedHashMap<>();
    for (int i = 0; i < JOBS; i++) {
      String jobId = prefix + "-" + UUID.randomUUID();
      SubmitCommand.publish(
          Settings.load(),
          new SubmitJob(
              Event.newId(), jobId, Instant.now(), JobSpecs.parse(spec(prefix, i)), "e2e"));
      jobs.put(jobId, name(prefix, i));
    }
    return jobs;
  }

  private static String name(String prefix, int i) {
    return "chaos-" + prefix + "-" + i;
  }

  /** Job {@code i}: its own seed; the last one trains a LoRA adapter. */
  private static String spec(String prefix, int i) {
    String method = i == JOBS - 1 ? "{type: lora, lora: {r: 4, lora_alpha: 8}}" : "{type: full}";
    return """
        model:
          source: bert-base-chinese
          init: random
          config_overrides: {num_hidden_layers: 1, hidden_size: 32, num_attention_heads: 2,
            intermediate_size: 64}
          max_length: 32
        dataset: {uri: chnsenticorp/chnsenticorp_htl_all.csv, text_column: review,
          label_column: label}
        training: {per_device_train_batch_size: 32, per_device_eval_batch_size: 256,
          learning_rate: 0.002, logging_steps: 10, eval_strategy: steps, max_steps: 60,
          eval_steps: 20, save_steps: 20, seed: %d}
        registry: {model_name: %s}
        method: %s
        """
        .formatted(7 + i, name(prefix, i), method);
  }

  /** One record that is not a kft event on each topic whose readers park such records. */
  private Map<String, String> poisonEveryInputTopic() {
    Map<String, String> poison = new LinkedHashMap<>();
    for (String topic : Topics.WITH_DEAD_LETTERS) {
      String value = "poison for " + topic + " " + UUID.randomUUID() + " {not json";
      kafka.publishRaw(topic, "poison-" + topic, value.getBytes(StandardCharsets.UTF_8));
      poison.put(topic, value);
    }
    return poison;
  }

  /** Each poison record is in its topic's dead-letter topic, and nothing else is in any. */
  private int assertOnlyPoisonParked(Map<String, String> poison) {
    int parked = 0;
    for (Map.Entry<String, String> e : poison.entrySet()) {
      List<String> values =
          kafka.readAll(Topics.deadLetters(e.getKey())).stream()
              .map(r -> new String(r.value(), StandardCharsets.UTF_8))
              .toList();
      assertTrue(values.contains(e.getValue()), e.getKey() + " poison parked: " + values);
      assertTrue(
          values.stream().allMatch(e.getValue()::equals),
          "only the poison in " + Topics.deadLetters(e.getKey()) + ": " + values);
      parked += values.size();
    }
    return parked;
  }

  private void awaitRegistered(Set<String> jobs, Duration timeout) throws Exception {
    Instant deadline = Instant.now().plus(timeout);
    while (!all(Topics.MODELS, jobs, ModelVersionRegistered.class)) {
      assertTrue(Instant.now().isBefore(deadline), "undisturbed jobs not registered in time");
      Thread.sleep(2000);
    }
  }

  private boolean seen(String topic, Set<String> jobs, Class<? extends Event> type) {
    return !events(topic, e -> jobs.contains(e.jobId()) && type.isInstance(e)).isEmpty();
  }

  private boolean all(String topic, Set<String> jobs, Class<? extends Event> type) {
    return events(topic, e -> jobs.contains(e.jobId()) && type.isInstance(e)).stream()
            .map(Event::jobId)
            .distinct()
            .count()
        == jobs.size();
  }

  private long count(String topic, String jobId, Class<? extends Event> type) {
    return events(topic, e -> e.jobId().equals(jobId) && type.isInstance(e)).size();
  }

  /**
   * The kft events of {@code topic} matching {@code filter}; records that are not events skipped.
   */
  private List<Event> events(String topic, Predicate<Event> filter) {
    EventDeserializer reader = new EventDeserializer();
    List<Event> events = new ArrayList<>();
    for (ConsumerRecord<String, byte[]> r : kafka.readAll(topic)) {
      Event e;
      try {
        e = reader.deserialize(topic, r.value());
      } catch (RuntimeException notAnEvent) {
        continue;
      }
      if (e != null && filter.test(e)) {
        events.add(e);
      }
    }
    return events;
  }

  /** The one READY version of each model has the same tensors, bit for bit; returns how many. */
  private int sameWeights(String reference, String chaos) throws Exception {
    ApiClient registry = ApiClient.registry(Settings.load());
    JsonNode versions = registry.get("/api/models/" + chaos + "/versions");
    assertEquals(1, versions.size(), chaos + ": " + versions);
    assertEquals("READY", versions.get(0).path("status").asText(), versions.toString());
    Path a = download(reference);
    Path b = download(chaos);
    int tensors = 0;
    try (SafeTensorsReader ra = SafeTensorsReader.open(a.resolve("model.safetensors"));
        SafeTensorsReader rb = SafeTensorsReader.open(b.resolve("model.safetensors"))) {
      assertEquals(ra.entries().keySet(), rb.entries().keySet());
      for (String tensor : ra.entries().keySet()) {
        float[] wa = ra.read(tensor).values();
        float[] wb = rb.read(tensor).values();
        assertTrue(Arrays.equals(wa, wb), chaos + " " + tensor + " differs");
        tensors++;
      }
    }
    return tensors;
  }

  private Path download(String model) throws IOException {
    Path target = home.resolve("downloads").resolve(model);
    int exit = Kft.run(new String[] {"download", model + ":1", target.toString()});
    assertEquals(0, exit, "kft download " + model);
    return target;
  }

  private void assertEveryPartReady() {
    List<String> status;
    try {
      status = stack.status();
    } catch (IOException | InterruptedException e) {
      throw new AssertionError("no status: " + e, e);
    }
    List<String> notReady =
        status.stream().filter(l -> l.contains("stopped") || l.contains("not ready")).toList();
    assertEquals(List.of(), notReady, String.join("\n", status));
    assertEquals(11, status.size(), "Kafka, PostgreSQL and nine service instances: " + status);
  }
}
