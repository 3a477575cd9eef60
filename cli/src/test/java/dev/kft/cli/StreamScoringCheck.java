package dev.kft.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kft.events.ScoringSwitched;
import dev.kft.events.Topics;
import dev.kft.json.Json;
import dev.kft.testing.KafkaTestClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.function.IntSupplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Drives a scoring deployment on a running stack and checks its output: {@value #TOTAL} review
 * records in three rounds (the first scored while the alias points at version 1, the last produced
 * long after it moved to version 2, and the inference service killed with SIGKILL as the last round
 * arrives), then every input offset must be scored exactly once, with the version its round allows,
 * and each partition's versions never going back.
 */
final class StreamScoringCheck {

  static final int TOTAL = 10_000;
  private static final Duration WAIT = Duration.ofMinutes(5);

  private final Settings settings;
  private final KafkaTestClient kafka;
  private final String from;
  private final String to;

  StreamScoringCheck(Settings settings, String from, String to) throws Exception {
    this.settings = settings;
    this.kafka = TestStack.kafkaAdmin(settings);
    this.from = from;
    this.to = to;
    try (Admin admin = Admin.create(adminConfig(settings))) {
      admin
          .createTopics(
              List.of(
                  new NewTopic(from, 3, (short) 1),
                  new NewTopic(to, 3, (short) 1),
                  new NewTopic(Topics.deadLetters(from), 1, (short) 1)))
          .all()
          .get();
    }
  }

  /** Produces records {@code first} to {@code last - 1}, keyed {@code r-<i>}. */
  void produce(int first, int last) throws Exception {
    Properties p = new Properties();
    p.putAll(adminConfig(settings));
    try (KafkaProducer<String, byte[]> producer =
        new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer())) {
      String[] reviews = {"房间很干净，服务很好", "太差了，空调不制冷", "早餐一般", "位置方便，性价比高"};
      for (int i = first; i < last; i++) {
        String value =
            Json.mapper()
                .writeValueAsString(Map.of("review", reviews[i % reviews.length] + " " + i));
        producer.send(new ProducerRecord<>(from, "r-" + i, value.getBytes(StandardCharsets.UTF_8)));
      }
      producer.flush();
    }
  }

  private static Map<String, Object> adminConfig(Settings settings) {
    Map<String, Object> config = new HashMap<>(TestStack.kafkaAdminSettings(settings));
    config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, settings.kafka());
    return config;
  }

  /** Waits until {@code count} outputs are committed. */
  void awaitScored(int count) throws InterruptedException {
    await(() -> kafka.readAll(to).size() >= count, count + " records scored");
  }

  static void await(java.util.function.BooleanSupplier done, String what)
      throws InterruptedException {
    Instant deadline = Instant.now().plus(WAIT);
    while (!done.getAsBoolean()) {
      assertTrue(Instant.now().isBefore(deadline), "gave up waiting for " + what);
      Thread.sleep(1000);
    }
  }

  /**
   * Every input offset scored exactly once under its input's key; inputs {@code < firstMoved}
   * scored by version 1, inputs {@code >= surelyMoved} by version 2, versions never going back
   * within a partition; returns a summary.
   */
  String check(String deployment, int firstMoved, int surelyMoved) {
    Map<String, Integer> inputIndex = new HashMap<>();
    for (ConsumerRecord<String, byte[]> r : kafka.readAll(from)) {
      inputIndex.put(r.partition() + "@" + r.offset(), Integer.parseInt(r.key().substring(2)));
    }
    assertEquals(TOTAL, inputIndex.size(), "inputs");
    Map<String, JsonNode> scored = new HashMap<>();
    Map<Integer, TreeMap<Long, Integer>> versions = new HashMap<>();
    int duplicates = 0;
    for (ConsumerRecord<String, byte[]> r : kafka.readAll(to)) {
      JsonNode out = json(r.value());
      String at = out.path("partition").asInt() + "@" + out.path("offset").asLong();
      duplicates += scored.put(at, out) != null ? 1 : 0;
      int index = inputIndex.get(at);
      assertEquals("r-" + index, r.key(), "the output keeps the input's key");
      int version = out.path("version").asInt();
      if (index < firstMoved) {
        assertEquals(1, version, "r-" + index + " was scored before the alias moved");
      } else if (index >= surelyMoved) {
        assertEquals(2, version, "r-" + index + " was produced after the alias moved");
      }
      versions
          .computeIfAbsent(out.path("partition").asInt(), p -> new TreeMap<>())
          .put(out.path("offset").asLong(), version);
    }
    assertEquals(0, duplicates, "records scored twice");
    assertEquals(TOTAL, scored.size(), "every record scored");
    for (Map.Entry<Integer, TreeMap<Long, Integer>> p : versions.entrySet()) {
      int last = 0;
      for (int v : p.getValue().values()) {
        assertTrue(v >= last, "partition " + p.getKey() + " went back from v" + last + " to v" + v);
        last = v;
      }
    }
    List<ScoringSwitched> switches = new ArrayList<>();
    for (ConsumerRecord<String, byte[]> r : kafka.readAll(Topics.SCORING)) {
      if (deployment.equals(r.key())) {
        switches.add(
            (ScoringSwitched)
                new dev.kft.events.EventDeserializer().deserialize(Topics.SCORING, r.value()));
      }
    }
    assertTrue(
        switches.stream().allMatch(s -> s.fromVersion() == 1 && s.toVersion() == 2),
        switches.toString());
    return String.format(
        "stream scoring: %d records, each scored once (duplicates 0, lost 0), %d ScoringSwitched"
            + " reported, versions per partition %s",
        scored.size(), switches.size(), summary(versions));
  }

  private static String summary(Map<Integer, TreeMap<Long, Integer>> versions) {
    StringBuilder s = new StringBuilder();
    versions.forEach(
        (p, byOffset) -> {
          IntSupplier v1 = () -> (int) byOffset.values().stream().filter(v -> v == 1).count();
          s.append(
              String.format(
                  "p%d: v1 %d, v2 %d; ", p, v1.getAsInt(), byOffset.size() - v1.getAsInt()));
        });
    return s.toString();
  }

  private static JsonNode json(byte[] value) {
    try {
      return Json.mapper().readTree(value);
    } catch (Exception e) {
      throw new AssertionError("output is not JSON: " + new String(value, StandardCharsets.UTF_8));
    }
  }
}
