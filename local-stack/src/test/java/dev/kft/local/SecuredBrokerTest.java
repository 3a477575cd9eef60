package dev.kft.local;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kft.events.KafkaAcls;
import dev.kft.events.Topics;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * kft's ACL table on a real broker with SASL/SCRAM and the standard authoriser: each service, with
 * its own credentials, can do what its code does (the transactions, groups and reads listed here
 * are taken from the services, not from the table), and cannot do what would let it forge another
 * service's facts; strangers cannot connect at all.
 */
@Tag("unit")
class SecuredBrokerTest {

  private static final String HOST = "-pod-7f9c";

  private static KafkaBroker broker;
  private static final Map<String, String> passwords = new HashMap<>();

  @BeforeAll
  static void startBroker() throws Exception {
    broker = KafkaBroker.startSecured(secret());
    for (String principal : KafkaAcls.PRINCIPALS) {
      passwords.put(principal, secret());
    }
    Map<String, Object> config = new HashMap<>(broker.adminSettings());
    config.put("bootstrap.servers", broker.bootstrapServers());
    try (Admin admin = Admin.create(config)) {
      List<NewTopic> topics = new ArrayList<>();
      for (String topic : Topics.ALL) {
        topics.add(new NewTopic(topic, 1, (short) 1));
      }
      for (String topic : List.of("reviews", "scored", "reviews.dlq")) {
        topics.add(new NewTopic(topic, 1, (short) 1));
      }
      admin.createTopics(topics).all().get();
      BrokerAccess.grant(admin, passwords);
    }
  }

  @AfterAll
  static void stopBroker() {
    broker.close();
  }

  @Test
  void dataPrepPreparesJobsAndNothingElse() {
    Attempts as = as(KafkaAcls.DATA_PREP);
    assertTrue(
        as.transaction(
            "kft-data-prep" + HOST,
            "kft-data-prep",
            Topics.JOBS,
            Topics.BATCHES,
            Topics.JOB_EVENTS,
            Topics.JOBS_DLQ));
    assertTrue(as.readInGroup(Topics.JOBS, "kft-data-prep"));
    assertTrue(as.read(Topics.JOB_EVENTS));
    assertTrue(as.write(Topics.JOBS_DLQ));
    assertFalse(as.write(Topics.EVALUATIONS), "data-prep wrote kft.evaluations");
    assertFalse(as.write(Topics.JOBS), "data-prep wrote kft.jobs");
    assertFalse(as.transaction("kft-trainer" + HOST, "kft-data-prep", Topics.JOBS, Topics.BATCHES));
  }

  @Test
  void theTrainerTrainsAndReportsButCannotJudgeItself() {
    Attempts as = as(KafkaAcls.TRAINER);
    assertTrue(as.readInGroup(Topics.JOB_EVENTS, "kft-trainer"));
    assertTrue(as.readInGroup(Topics.CONTROL, "kft-trainer-control-0c1d"));
    assertTrue(as.readInGroup(Topics.EVALUATIONS, "kft-trainer-0c1d"));
    assertTrue(as.read(Topics.BATCHES, Topics.CONTROL, Topics.CHECKPOINTS, Topics.JOB_EVENTS));
    assertTrue(
        as.transaction(
            "kft-trainer" + HOST,
            "kft-trainer",
            Topics.JOB_EVENTS,
            Topics.JOB_EVENTS,
            Topics.CHECKPOINTS));
    assertTrue(as.write(Topics.deadLetters(Topics.JOB_EVENTS)));
    assertFalse(as.write(Topics.EVALUATIONS), "the trainer wrote its own evaluation");
    assertFalse(as.write(Topics.BATCHES), "the trainer wrote batches");
    assertFalse(as.readInGroup(Topics.CHECKPOINTS, "kft-evaluator"), "the evaluator's group");
  }

  @Test
  void theEvaluatorJudgesButCannotRegisterOrTakeTheRegistrysGroup() {
    Attempts as = as(KafkaAcls.EVALUATOR);
    assertTrue(
        as.transaction(
            "kft-evaluator" + HOST,
            "kft-evaluator",
            Topics.CHECKPOINTS,
            Topics.EVALUATIONS,
            Topics.CONTROL,
            Topics.JOB_EVENTS));
    assertTrue(as.read(Topics.BATCHES, Topics.EVALUATIONS));
    assertTrue(as.write(Topics.deadLetters(Topics.CHECKPOINTS)));
    assertFalse(as.write(Topics.MODELS), "the evaluator wrote kft.models");
    assertFalse(as.readInGroup(Topics.EVALUATIONS, "kft-registry"), "the registry's group");
    assertFalse(
        as.transaction("kft-registry-outbox", "kft-evaluator", Topics.CHECKPOINTS, Topics.MODELS));
  }

  @Test
  void theRegistryAloneWritesVersions() {
    Attempts as = as(KafkaAcls.REGISTRY);
    assertTrue(
        as.transaction("kft-registry-outbox", "kft-registry-outbox", Topics.MODELS, Topics.MODELS));
    for (String topic : Topics.WITH_DEAD_LETTERS) {
      assertTrue(as.readInGroup(topic, "kft-registry"), topic);
      assertTrue(as.write(Topics.deadLetters(topic)), topic);
    }
    assertTrue(as.write(Topics.CONTROL));
    // jobs submitted over HTTP (POST /api/jobs) go on kft.jobs as the command's do
    assertTrue(as.write(Topics.JOBS), "the registry submits jobs it was given over HTTP");
    assertFalse(as.write(Topics.EVALUATIONS), "the registry wrote an evaluation");
    assertFalse(as.write(Topics.JOB_EVENTS), "the registry wrote a job event");
    for (String other : List.of(KafkaAcls.DATA_PREP, KafkaAcls.TRAINER, KafkaAcls.INFERENCE)) {
      assertFalse(as(other).write(Topics.MODELS), other + " wrote kft.models");
    }
  }

  @Test
  void inferenceScoresAnyStreamButCannotForgePipelineFacts() {
    Attempts as = as(KafkaAcls.INFERENCE);
    assertTrue(as.readInGroup(Topics.MODELS, "kft-inference-5e6f"));
    assertTrue(as.read(Topics.MODELS));
    assertTrue(
        as.transaction(
            "kft-inference-stream-a" + HOST,
            "kft-scoring-stream-a",
            "reviews",
            "scored",
            "reviews.dlq",
            Topics.SCORING));
    for (String topic : List.of(Topics.JOBS, Topics.MODELS, Topics.EVALUATIONS, Topics.BATCHES)) {
      assertFalse(as.write(topic), "inference wrote " + topic);
    }
    assertFalse(as.readInGroup(Topics.JOB_EVENTS, "kft-trainer"), "the trainer's group");
  }

  @Test
  void theCommandSubmitsAndWatchesOnly() {
    Attempts as = as(KafkaAcls.CLI);
    assertTrue(as.write(Topics.JOBS));
    assertTrue(as.read(Topics.JOB_EVENTS, Topics.EVALUATIONS, Topics.MODELS));
    assertFalse(as.write(Topics.JOB_EVENTS), "the command wrote a job event");
    assertFalse(as.write(Topics.MODELS), "the command wrote kft.models");
    assertFalse(as.read(Topics.BATCHES), "the command read the batches");
  }

  @Test
  void theAutoscalerSeesLagAndNothingElse() {
    Attempts as = as(KafkaAcls.AUTOSCALER);
    assertTrue(as.lag("kft-data-prep", Topics.JOBS));
    assertTrue(as.lag("kft-evaluator", Topics.CHECKPOINTS));
    assertFalse(as.read(Topics.JOBS), "the autoscaler read job specs");
    assertFalse(as.lag("kft-registry", Topics.EVALUATIONS), "another group");
  }

  @Test
  void strangersAndWrongPasswordsAreTurnedAway() {
    assertTrue(as(KafkaAcls.CLI).connect());
    assertFalse(new Attempts(broker.bootstrapServers(), Map.of()).connect(), "no credentials");
    assertFalse(
        new Attempts(
                broker.bootstrapServers(),
                KafkaBroker.clientSettings(KafkaAcls.REGISTRY, passwords.get(KafkaAcls.CLI)))
            .connect(),
        "another principal's password");
    assertFalse(
        new Attempts(broker.bootstrapServers(), KafkaBroker.clientSettings("mallory", secret()))
            .write(Topics.MODELS),
        "an unknown user");
  }

  private static Attempts as(String principal) {
    return new Attempts(
        broker.bootstrapServers(), KafkaBroker.clientSettings(principal, passwords.get(principal)));
  }

  private static String secret() {
    byte[] bytes = new byte[24];
    new SecureRandom().nextBytes(bytes);
    return HexFormat.of().formatHex(bytes);
  }
}
