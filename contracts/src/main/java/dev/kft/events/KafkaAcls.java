package dev.kft.events;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Who may do what on kft's Kafka: one principal per service and one for the {@code kft} command,
 * each allowed exactly the topics, consumer groups and transactional ids it uses. The one source of
 * the ACL table: the Kubernetes users are checked against it, the local stack and the broker tests
 * create it.
 */
public final class KafkaAcls {

  /** What an entry is about. */
  public enum Resource {
    TOPIC,
    GROUP,
    TRANSACTIONAL_ID
  }

  /** The operations kft's clients need; reading and writing imply describing. */
  public enum Operation {
    READ,
    WRITE,
    DESCRIBE
  }

  /**
   * One ACL entry.
   *
   * @param principal the user name (SCRAM user, Strimzi {@code KafkaUser})
   * @param prefixed whether {@code name} is a prefix (transactional ids end in a host name)
   * @param deny a denial, which wins over any allowance
   */
  public record Acl(
      String principal,
      Resource resource,
      String name,
      boolean prefixed,
      Set<Operation> operations,
      boolean deny) {}

  public static final String DATA_PREP = "kft-data-prep";
  public static final String TRAINER = "kft-trainer";
  public static final String EVALUATOR = "kft-evaluator";
  public static final String REGISTRY = "kft-registry";
  public static final String INFERENCE = "kft-inference";

  /** The {@code kft} command: submits jobs and watches them. */
  public static final String CLI = "kft-cli";

  /** Kubernetes' autoscaler (KEDA): reads the lag of the groups it scales on. */
  public static final String AUTOSCALER = "kft-autoscaler";

  /** Every principal, in the order of the flow. */
  public static final List<String> PRINCIPALS =
      List.of(DATA_PREP, TRAINER, EVALUATOR, REGISTRY, INFERENCE, CLI, AUTOSCALER);

  private static final Set<Operation> READ = Set.of(Operation.READ);
  private static final Set<Operation> WRITE = Set.of(Operation.WRITE);
  private static final Set<Operation> READ_WRITE = Set.of(Operation.READ, Operation.WRITE);
  private static final Set<Operation> DESCRIBE = Set.of(Operation.DESCRIBE);

  /** The whole table. */
  public static final List<Acl> ALL = table();

  private KafkaAcls() {}

  /** The entries of {@code principal}. */
  public static List<Acl> of(String principal) {
    return ALL.stream().filter(a -> a.principal().equals(principal)).toList();
  }

  private static List<Acl> table() {
    List<Acl> t = new ArrayList<>();
    topics(t, DATA_PREP, READ, Topics.JOBS);
    topics(t, DATA_PREP, READ_WRITE, Topics.JOB_EVENTS);
    topics(t, DATA_PREP, WRITE, Topics.BATCHES, Topics.JOBS_DLQ);
    serviceIds(t, DATA_PREP, false);

    topics(t, TRAINER, READ, Topics.BATCHES, Topics.CONTROL, Topics.EVALUATIONS);
    topics(t, TRAINER, READ_WRITE, Topics.JOB_EVENTS, Topics.CHECKPOINTS);
    topics(t, TRAINER, WRITE, Topics.deadLetters(Topics.JOB_EVENTS));
    // its groups are kft-trainer and one per instance, kft-trainer-<uuid>
    serviceIds(t, TRAINER, true);

    topics(t, EVALUATOR, READ, Topics.CHECKPOINTS, Topics.BATCHES);
    topics(t, EVALUATOR, READ_WRITE, Topics.EVALUATIONS);
    topics(
        t,
        EVALUATOR,
        WRITE,
        Topics.CONTROL,
        Topics.JOB_EVENTS,
        Topics.deadLetters(Topics.CHECKPOINTS));
    serviceIds(t, EVALUATOR, false);

    topics(
        t,
        REGISTRY,
        READ,
        Topics.WITH_DEAD_LETTERS.stream()
            .filter(n -> !n.equals(Topics.JOBS))
            .toArray(String[]::new));
    // WRITE on kft.jobs: jobs submitted over HTTP (POST /api/jobs); READ on kft.models: the relay
    // commits its position there in each transaction
    topics(t, REGISTRY, READ_WRITE, Topics.JOBS, Topics.MODELS);
    topics(t, REGISTRY, WRITE, Topics.CONTROL);
    topics(
        t,
        REGISTRY,
        WRITE,
        Topics.WITH_DEAD_LETTERS.stream().map(Topics::deadLetters).toArray(String[]::new));
    t.add(new Acl(REGISTRY, Resource.GROUP, REGISTRY, false, READ, false));
    t.add(new Acl(REGISTRY, Resource.GROUP, "kft-registry-outbox", false, READ, false));
    t.add(
        new Acl(
            REGISTRY,
            Resource.TRANSACTIONAL_ID,
            "kft-registry-outbox",
            false,
            Set.of(Operation.WRITE, Operation.DESCRIBE),
            false));

    inference(t);

    topics(t, CLI, WRITE, Topics.JOBS);
    topics(t, CLI, READ, Topics.JOB_EVENTS, Topics.EVALUATIONS, Topics.MODELS);

    topics(t, AUTOSCALER, DESCRIBE, Topics.JOBS, Topics.CHECKPOINTS);
    t.add(new Acl(AUTOSCALER, Resource.GROUP, DATA_PREP, false, DESCRIBE, false));
    t.add(new Acl(AUTOSCALER, Resource.GROUP, EVALUATOR, false, DESCRIBE, false));
    return List.copyOf(t);
  }

  /**
   * Stream scoring reads and writes the topics its users name, so the inference service may use any
   * topic but may not write a single one of the pipeline's, which would let it forge jobs,
   * evaluations or versions.
   */
  private static void inference(List<Acl> t) {
    t.add(new Acl(INFERENCE, Resource.TOPIC, "*", false, READ_WRITE, false));
    for (String topic : Topics.ALL) {
      if (!topic.equals(Topics.SCORING)) {
        t.add(new Acl(INFERENCE, Resource.TOPIC, topic, false, WRITE, true));
      }
    }
    t.add(new Acl(INFERENCE, Resource.GROUP, INFERENCE + "-", true, READ, false));
    t.add(new Acl(INFERENCE, Resource.GROUP, "kft-scoring-", true, READ, false));
    t.add(
        new Acl(
            INFERENCE,
            Resource.TRANSACTIONAL_ID,
            INFERENCE + "-",
            true,
            Set.of(Operation.WRITE, Operation.DESCRIBE),
            false));
  }

  private static void topics(
      List<Acl> t, String principal, Set<Operation> operations, String... topics) {
    for (String topic : topics) {
      t.add(new Acl(principal, Resource.TOPIC, topic, false, operations, false));
    }
  }

  /**
   * The consumer group named after the service ({@code groupPrefixed}: and the groups it names
   * after itself) and its transactional ids, {@code <service>-<host>}.
   */
  private static void serviceIds(List<Acl> t, String service, boolean groupPrefixed) {
    t.add(new Acl(service, Resource.GROUP, service, groupPrefixed, READ, false));
    t.add(
        new Acl(
            service,
            Resource.TRANSACTIONAL_ID,
            service + "-",
            true,
            Set.of(Operation.WRITE, Operation.DESCRIBE),
            false));
  }
}
