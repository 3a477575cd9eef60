package dev.kft.registry.messaging;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kft.events.AliasSet;
import dev.kft.events.Event;
import dev.kft.events.EventSerializer;
import dev.kft.events.ModelCandidate;
import dev.kft.events.ModelVersionRegistered;
import dev.kft.events.Topics;
import dev.kft.io.Sha256;
import dev.kft.json.Json;
import dev.kft.messaging.DeadLetters;
import dev.kft.messaging.KafkaConnection;
import dev.kft.messaging.TopicScan;
import dev.kft.messaging.TransactionalPublisher;
import dev.kft.testing.Eventually;
import dev.kft.testing.KafkaBrokerResource;
import dev.kft.testing.KafkaTestClient;
import dev.kft.testing.PostgresResource;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The registry under faults, over the real broker and a real PostgreSQL: a READY version is never
 * written again, every fact is published exactly once even when the relay dies between Kafka and
 * the database, a record that is not an event is parked and the registry goes on, and a database
 * outage is waited out.
 */
@QuarkusTest
@WithTestResource(KafkaBrokerResource.class)
@WithTestResource(PostgresResource.class)
@Tag("unit")
class RegistryReliabilityTest {

  @org.junit.jupiter.api.BeforeAll
  static void readWithTheReadToken() {
    // reads need a token; writes say which token they carry
    io.restassured.RestAssured.authentication =
        io.restassured.RestAssured.oauth2("test-read-token");
  }

  private static final Duration WAIT = RegistrationTest.WAIT;

  private final KafkaTestClient kafka = KafkaTestClient.ofTestBroker();

  @Inject AgroalDataSource db;

  @Test
  void aSecondCandidateForARegisteredJobLeavesTheReadyVersionAsItWas() throws Exception {
    String name = "immutable-" + UUID.randomUUID();
    RegistrationTest.Job job =
        new RegistrationTest.Job("{model_name: %s, aliases: [staging]}".formatted(name), 0.85);
    kafka.publish(Topics.EVALUATIONS, job.candidate);
    awaitStatus(job.id, "COMPLETED");
    String uri =
        given().get("/api/models/{n}/versions/1", name).then().extract().path("artifactUri");
    Path weights = Path.of(URI.create(uri)).resolve("model.safetensors");
    String sha = Sha256.file(weights);
    FileTime written = Files.getLastModifiedTime(weights);
    String card = Files.readString(weights.resolveSibling("README.md"));

    kafka.publish(Topics.EVALUATIONS, another(job.candidate));
    Eventually.await(
        WAIT,
        () ->
            given()
                .get("/api/jobs/" + job.id)
                .then()
                .body("timeline.findAll { it.type == 'ModelCandidate' }.size()", equalTo(2)));

    given().get("/api/models/{n}/versions", name).then().body("size()", equalTo(1));
    assertEquals(sha, Sha256.file(weights));
    assertEquals(written, Files.getLastModifiedTime(weights), "the READY export was rewritten");
    assertEquals(card, Files.readString(weights.resolveSibling("README.md")));
    assertEquals(1, facts(job.id, ModelVersionRegistered.class));
    assertEquals(1, facts(job.id, AliasSet.class));
    theDatabaseKeepsItReady(name);
  }

  /** Not even the service's own database user may rewrite or delete a READY version. */
  private void theDatabaseKeepsItReady(String name) throws Exception {
    try (Connection c = db.getConnection()) {
      for (String change :
          List.of(
              "update model_version set artifact_uri = 'file:///elsewhere' where name = ?",
              "update model_version set eval_metrics = '{\"eval_accuracy\": 1.0}' where name = ?",
              "update model_version set status = 'FAILED_REGISTRATION' where name = ?",
              "delete from model_version where name = ?")) {
        try (var statement = c.prepareStatement(change)) {
          statement.setString(1, name);
          java.sql.SQLException refused =
              org.junit.jupiter.api.Assertions.assertThrows(
                  java.sql.SQLException.class, statement::executeUpdate, change);
          assertTrue(refused.getMessage().contains("is READY and cannot"), refused.getMessage());
        }
      }
      try (var statement =
          c.prepareStatement(
              "update model_version set tags = tags || '{\"reviewed\": \"yes\"}' where name = ?")) {
        statement.setString(1, name);
        assertEquals(1, statement.executeUpdate(), "tags stay editable");
      }
    }
    given().get("/api/models/{n}/versions/1", name).then().body("status", equalTo("READY"));
  }

  @Test
  void factsAPredecessorPublishedButDidNotDeleteAreNotPublishedAgain() throws Exception {
    String job = "outbox-" + UUID.randomUUID();
    try (Connection lease = takeTheRelaysLease()) {
      List<Long> seqs = new ArrayList<>();
      List<byte[]> payloads = new ArrayList<>();
      for (int v = 1; v <= 3; v++) {
        AliasSet fact =
            new AliasSet(Event.newId(), job, Instant.now(), "m-" + job, "a", v, null, "test");
        payloads.add(new EventSerializer().serialize(Topics.MODELS, fact));
        seqs.add(insertIntoOutbox(lease, job, payloads.get(v - 1)));
      }
      // the predecessor committed the first two on Kafka, then died before deleting them
      try (TransactionalPublisher predecessor =
          new TransactionalPublisher(KafkaConnection.plaintext(servers()), "kft-registry-outbox")) {
        predecessor.inTransaction(
            tx -> {
              for (int i = 0; i < 2; i++) {
                tx.sendWithHeader(
                    Topics.MODELS,
                    job,
                    payloads.get(i),
                    OutboxRelay.SEQ_HEADER,
                    String.valueOf(seqs.get(i)));
              }
            },
            Map.of(new TopicPartition(Topics.MODELS, 0), new OffsetAndMetadata(seqs.get(1))),
            new ConsumerGroupMetadata("kft-registry-outbox"));
      }
      lease.createStatement().execute("select pg_advisory_unlock_all()");
    }
    Eventually.await(WAIT, () -> assertEquals(0, outboxSize()));
    List<Integer> versions = new ArrayList<>();
    TopicScan.events(
        KafkaConnection.plaintext(servers()),
        Topics.MODELS,
        WAIT,
        (key, e) -> {
          if (e.jobId().equals(job)) {
            versions.add(((AliasSet) e).version());
          }
        });
    assertEquals(List.of(1, 2, 3), versions.stream().sorted().toList());
  }

  @Test
  void aRecordThatIsNotAnEventIsParkedAndTheNextOneIsRegistered() throws Exception {
    String key = "poison-" + UUID.randomUUID();
    kafka.publishRaw(Topics.EVALUATIONS, key, "{not json".getBytes(StandardCharsets.UTF_8));
    RegistrationTest.Job job =
        new RegistrationTest.Job("{model_name: after-poison-%s}".formatted(key), 0.85);
    kafka.publish(Topics.EVALUATIONS, job.candidate);
    awaitStatus(job.id, "COMPLETED");

    List<ConsumerRecord<String, byte[]>> dead =
        kafka.awaitRawRecords(Topics.EVALUATIONS + ".dlq", r -> key.equals(r.key()), WAIT);
    ConsumerRecord<String, byte[]> parked = dead.get(dead.size() - 1);
    assertEquals(key, parked.key());
    assertEquals("{not json", new String(parked.value(), StandardCharsets.UTF_8));
    assertEquals(Topics.EVALUATIONS, header(parked, DeadLetters.TOPIC));
    assertNotNull(header(parked, DeadLetters.OFFSET));
    assertEquals("kft-registry", header(parked, DeadLetters.GROUP));
    assertTrue(header(parked, DeadLetters.REASON).contains("not a kft event"));
  }

  @Test
  void aDatabaseOutageIsWaitedOutAndTheCandidateIsRegisteredOnce() throws Exception {
    String name = "outage-" + UUID.randomUUID();
    RegistrationTest.Job job =
        new RegistrationTest.Job("{model_name: %s, aliases: [staging]}".formatted(name), 0.85);
    CompletableFuture<Void> outage =
        CompletableFuture.runAsync(
            () -> {
              try {
                PostgresResource.restart(Duration.ofSeconds(10));
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
            });
    Thread.sleep(2000);
    kafka.publish(Topics.EVALUATIONS, job.candidate);
    outage.get();
    awaitStatus(job.id, "COMPLETED");
    given().get("/api/models/{n}/aliases/staging", name).then().body("version", equalTo(1));
    Eventually.await(WAIT, () -> assertEquals(1, facts(job.id, ModelVersionRegistered.class)));
    assertEquals(1, facts(job.id, AliasSet.class));
  }

  private void awaitStatus(String id, String status) {
    Eventually.await(
        WAIT, () -> given().get("/api/jobs/" + id).then().body("status", equalTo(status)));
  }

  /** The same candidate as a new event, with better metrics than the registered one. */
  private static ModelCandidate another(ModelCandidate candidate) throws Exception {
    ObjectNode tree = Json.mapper().valueToTree(candidate);
    tree.put("eventId", UUID.randomUUID().toString());
    ((ObjectNode) tree.get("evalMetrics")).put("eval_f1", 0.99);
    return Json.mapper().treeToValue(tree, ModelCandidate.class);
  }

  /** How many facts of {@code type} about {@code jobId} are on {@code kft.models}. */
  private static long facts(String jobId, Class<? extends Event> type) {
    long[] count = {0};
    TopicScan.events(
        KafkaConnection.plaintext(servers()),
        Topics.MODELS,
        WAIT,
        (key, e) -> count[0] += e.jobId().equals(jobId) && type.isInstance(e) ? 1 : 0);
    return count[0];
  }

  /** Ends the running relay's database session until this test holds the relay's lock itself. */
  private Connection takeTheRelaysLease() throws Exception {
    Connection connection = db.getConnection();
    Instant deadline = Instant.now().plus(WAIT);
    while (Instant.now().isBefore(deadline)) {
      try (Statement s = connection.createStatement();
          ResultSet held = s.executeQuery("select pg_try_advisory_lock(" + LOCK + ")")) {
        held.next();
        if (held.getBoolean(1)) {
          return connection;
        }
      }
      connection
          .createStatement()
          .execute(
              "select pg_terminate_backend(pid) from pg_locks where locktype = 'advisory'"
                  + " and pid <> pg_backend_pid()");
      Thread.sleep(100);
    }
    throw new AssertionError("the relay's lock was not taken within " + WAIT);
  }

  /** The lock key {@code Outbox} uses for its relay. */
  private static final long LOCK = 0x6b66746f75746278L;

  private static long insertIntoOutbox(Connection c, String key, byte[] payload) throws Exception {
    try (PreparedStatement insert =
        c.prepareStatement(
            "insert into outbox (topic, event_key, payload, created_at) values (?, ?, ?, now())"
                + " returning seq")) {
      insert.setString(1, Topics.MODELS);
      insert.setString(2, key);
      insert.setBytes(3, payload);
      try (ResultSet row = insert.executeQuery()) {
        row.next();
        return row.getLong(1);
      }
    }
  }

  private long outboxSize() {
    try (Connection c = db.getConnection();
        ResultSet row = c.createStatement().executeQuery("select count(*) from outbox")) {
      row.next();
      return row.getLong(1);
    } catch (SQLException e) {
      throw new AssertionError("cannot count the outbox", e);
    }
  }

  private static String header(ConsumerRecord<String, byte[]> record, String name) {
    var h = record.headers().lastHeader(name);
    return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
  }

  private static String servers() {
    return KafkaBrokerResource.broker().bootstrapServers();
  }
}
