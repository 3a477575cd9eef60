package dev.kft.messaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kft.events.Event;
import dev.kft.events.EventSerializer;
import dev.kft.events.StopTraining;
import dev.kft.events.Topics;
import dev.kft.events.TrainingFinished.Reason;
import dev.kft.local.KafkaBroker;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Record loops over the real broker: a record that is not an event is parked and the next one is
 * handled; replicas joining while work runs lose nothing and never run one record's work twice at
 * the same time; and a revoked partition's work is asked to wrap up and waited for.
 */
@Tag("unit")
class RecordLoopTest {

  private static KafkaBroker broker;
  private static String servers;

  @BeforeAll
  static void startBroker() {
    broker = KafkaBroker.start();
    servers = broker.bootstrapServers();
  }

  @AfterAll
  static void stopBroker() {
    broker.close();
  }

  /** A loop whose work on each record takes {@code workMillis} and is recorded. */
  private static final class SlowLoop extends RecordLoop<AutoCloseable> {
    private final String topic;
    private final long workMillis;
    final List<String> done = Collections.synchronizedList(new ArrayList<>());
    final Set<String> running;
    final AtomicInteger overlaps;
    final AtomicBoolean wrapUp = new AtomicBoolean();

    SlowLoop(String topic, String group, long workMillis, Set<String> running, AtomicInteger o) {
      super(
          "test-loop-" + UUID.randomUUID(),
          KafkaConnection.plaintext(servers),
          group,
          new SimpleMeterRegistry());
      this.topic = topic;
      this.workMillis = workMillis;
      this.running = running;
      this.overlaps = o;
    }

    @Override
    protected AutoCloseable open() {
      return () -> {};
    }

    @Override
    protected List<String> topics() {
      return List.of(topic);
    }

    @Override
    protected boolean handOver() {
      wrapUp.set(true);
      return true;
    }

    @Override
    protected void handle(
        KafkaConsumer<String, byte[]> consumer,
        AutoCloseable resources,
        ConsumerRecord<String, byte[]> record)
        throws Exception {
      Event event = event(record);
      if (event == null) {
        commit(consumer, record);
        return;
      }
      wrapUp.set(false);
      Future<Object> work =
          whilePolling(
              consumer,
              () -> {
                if (!running.add(event.jobId())) {
                  overlaps.incrementAndGet();
                }
                try {
                  Instant end = Instant.now().plusMillis(workMillis);
                  while (Instant.now().isBefore(end) && !wrapUp.get()) {
                    Thread.sleep(20);
                  }
                } finally {
                  running.remove(event.jobId());
                }
                return null;
              },
              Instant.MAX,
              () -> false);
      work.get();
      commit(consumer, record);
      done.add(event.jobId());
    }

    private static void commit(
        KafkaConsumer<String, byte[]> consumer, ConsumerRecord<String, byte[]> record) {
      consumer.commitSync(
          Map.of(
              new TopicPartition(record.topic(), record.partition()),
              new OffsetAndMetadata(record.offset() + 1)));
    }
  }

  @Test
  void aRecordThatIsNotAnEventIsParkedWithWhereItCameFromAndTheNextIsHandled() throws Exception {
    String topic = topic(1);
    send(topic, "bad", "{not an event".getBytes(StandardCharsets.UTF_8));
    send(topic, "newer", "{\"type\": \"ModelRetrained\"}".getBytes(StandardCharsets.UTF_8));
    send(topic, "good", stop("good"));
    SlowLoop loop =
        new SlowLoop(topic, "g-" + topic, 0, ConcurrentHashMap.newKeySet(), new AtomicInteger());
    loop.start();
    try {
      awaitUntil(() -> loop.done.contains("good"));
    } finally {
      loop.stop();
    }
    List<ConsumerRecord<String, byte[]>> dead = readAll(Topics.deadLetters(topic));
    assertEquals(1, dead.size(), "an event of a type this version does not know is skipped");
    ConsumerRecord<String, byte[]> parked = dead.get(0);
    assertEquals("bad", parked.key());
    assertEquals("{not an event", new String(parked.value(), StandardCharsets.UTF_8));
    assertEquals(topic, header(parked, DeadLetters.TOPIC));
    assertEquals("0", header(parked, DeadLetters.PARTITION));
    assertEquals("0", header(parked, DeadLetters.OFFSET));
    assertEquals("g-" + topic, header(parked, DeadLetters.GROUP));
    assertTrue(header(parked, DeadLetters.REASON).startsWith("not a kft event"));
    assertEquals(List.of("good"), loop.done);
  }

  @Test
  void replicasJoiningWhileWorkRunsLoseNothingAndNeverRunARecordTwiceAtOnce() throws Exception {
    String topic = topic(3);
    String group = "g-" + topic;
    List<String> jobs = new ArrayList<>();
    for (int i = 0; i < 9; i++) {
      jobs.add("job-" + i);
      send(topic, "job-" + i, stop("job-" + i));
    }
    Set<String> running = ConcurrentHashMap.newKeySet();
    AtomicInteger overlaps = new AtomicInteger();
    List<SlowLoop> loops = new ArrayList<>();
    try {
      for (int i = 0; i < 3; i++) {
        SlowLoop loop = new SlowLoop(topic, group, 1500, running, overlaps);
        loops.add(loop);
        loop.start();
        Thread.sleep(1000);
      }
      awaitUntil(() -> loops.stream().mapToInt(l -> l.done.size()).sum() >= jobs.size());
      Thread.sleep(2000);
    } finally {
      for (SlowLoop loop : loops) {
        loop.stop();
      }
    }
    List<String> done = new ArrayList<>();
    loops.forEach(l -> done.addAll(l.done));
    // a record whose work ended just as its partition moved may be handled again (at least once:
    // the services' transactions and checkpoints make that harmless); none may be lost
    assertEquals(jobs, done.stream().distinct().sorted().toList(), "handled: " + done);
    assertEquals(0, overlaps.get(), "a record's work ran on two replicas at once");
  }

  @Test
  void aRevokedPartitionsWorkIsAskedToWrapUpAndWaitedFor() throws Exception {
    SlowLoop loop = new SlowLoop("t", "g", 0, ConcurrentHashMap.newKeySet(), new AtomicInteger());
    AtomicBoolean asked = loop.wrapUp;
    Handover handover = new Handover("test", loop);
    TopicPartition p = new TopicPartition("t", 0);
    ExecutorService worker = Executors.newSingleThreadExecutor();
    try {
      CountDownLatch finished = new CountDownLatch(1);
      Future<?> work =
          worker.submit(
              () -> {
                while (!asked.get()) {
                  Thread.sleep(10);
                }
                Thread.sleep(300);
                finished.countDown();
                return null;
              });
      handover.inHand(p);
      handover.busy(work);
      handover.onPartitionsRevoked(List.of(new TopicPartition("t", 1)));
      assertFalse(asked.get(), "another partition's revocation leaves the work alone");
      handover.onPartitionsRevoked(List.of(p));
      assertTrue(asked.get());
      assertTrue(work.isDone(), "the revocation returned before the work wrapped up");
      assertEquals(0, finished.getCount());
      assertTrue(handover.handedOver());
    } finally {
      worker.shutdownNow();
    }
  }

  private static String topic(int partitions) throws Exception {
    String topic = "loop-" + UUID.randomUUID();
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, servers))) {
      admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1))).all().get();
    }
    return topic;
  }

  private static byte[] stop(String jobId) {
    return new EventSerializer()
        .serialize(
            "t", new StopTraining(Event.newId(), jobId, Instant.now(), Reason.CANCELLED, "x", "y"));
  }

  private static void send(String topic, String key, byte[] value) throws Exception {
    try (KafkaProducer<String, byte[]> producer =
        new KafkaProducer<>(
            Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, servers),
            new StringSerializer(),
            new ByteArraySerializer())) {
      producer.send(new ProducerRecord<>(topic, key, value)).get();
    }
  }

  private static List<ConsumerRecord<String, byte[]>> readAll(String topic) {
    List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
    try (KafkaConsumer<String, byte[]> consumer =
        new KafkaConsumer<>(
            Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                servers,
                ConsumerConfig.GROUP_ID_CONFIG,
                "reader-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                "earliest"),
            new StringDeserializer(),
            new ByteArrayDeserializer())) {
      consumer.subscribe(List.of(topic));
      Instant deadline = Instant.now().plusSeconds(30);
      Instant quiet = Instant.now().plusSeconds(3);
      while (Instant.now().isBefore(deadline)
          && (records.isEmpty() || Instant.now().isBefore(quiet))) {
        for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
          records.add(r);
          quiet = Instant.now().plusSeconds(3);
        }
      }
    }
    return records;
  }

  private static String header(ConsumerRecord<String, byte[]> record, String name) {
    var h = record.headers().lastHeader(name);
    return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
  }

  private static void awaitUntil(java.util.function.BooleanSupplier condition)
      throws InterruptedException {
    Instant deadline = Instant.now().plusSeconds(90);
    while (!condition.getAsBoolean()) {
      if (Instant.now().isAfter(deadline)) {
        throw new AssertionError("not reached within 90 s");
      }
      TimeUnit.MILLISECONDS.sleep(100);
    }
  }
}
