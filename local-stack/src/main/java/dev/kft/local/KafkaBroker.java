package dev.kft.local;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.Feature;
import org.apache.kafka.server.common.MetadataVersion;

/**
 * A real, single-node Apache Kafka broker (KRaft, combined broker and controller) running inside
 * the current JVM on loopback: for tests on random ports with throw-away data, and for the local
 * stack on a fixed port with data that survives restarts.
 *
 * <p>A secured broker authenticates every client with SASL/SCRAM-SHA-512 and authorises it with
 * Kafka's standard authoriser: only the super user {@value #ADMIN} may do anything without an ACL.
 * Its SCRAM credential is written into the storage when it is formatted; the controller listener,
 * which SCRAM cannot serve (its credentials live in the metadata the controller serves), uses
 * SASL/PLAIN with the same password.
 */
public final class KafkaBroker implements AutoCloseable {

  private static final int NODE_ID = 1;

  /** The super user of a secured broker. */
  public static final String ADMIN = "admin";

  /** The SASL mechanism clients of a secured broker use. */
  public static final String MECHANISM = "SCRAM-SHA-512";

  private final Path dataDir;
  private final String bootstrapServers;
  private final String adminPassword;
  private final KafkaRaftServer server;

  private KafkaBroker(
      Path dataDir, String bootstrapServers, String adminPassword, KafkaRaftServer server) {
    this.dataDir = dataDir;
    this.bootstrapServers = bootstrapServers;
    this.adminPassword = adminPassword;
    this.server = server;
  }

  private boolean keepData;

  /** Starts a broker on random ports with fresh storage, deleted on {@link #close()}. */
  public static KafkaBroker start() {
    return startFresh(null);
  }

  /**
   * Starts a secured broker on random ports with fresh storage, deleted on {@link #close()}, its
   * super user's password {@code adminPassword}.
   */
  public static KafkaBroker startSecured(String adminPassword) {
    return startFresh(adminPassword);
  }

  private static KafkaBroker startFresh(String adminPassword) {
    try {
      KafkaBroker broker =
          start(Files.createTempDirectory("kft-kafka-"), freePort(), adminPassword);
      broker.keepData = false;
      return broker;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the test Kafka broker", e);
    }
  }

  /**
   * Starts a broker on {@code port} (its controller on a free port) with its data in {@code
   * dataDir}, formatting the storage only the first time; waits until it answers clients.
   */
  public static KafkaBroker start(Path dataDir, int port) {
    return start(dataDir, port, null);
  }

  /**
   * Starts a broker as {@link #start(Path, int)} does, secured when {@code adminPassword} is not
   * null (the password must be the one the storage was first formatted with).
   */
  public static KafkaBroker start(Path dataDir, int port, String adminPassword) {
    try {
      Files.createDirectories(dataDir);
      int controllerPort = freePort();
      Map<String, Object> props = properties(dataDir, port, controllerPort);
      if (adminPassword != null) {
        props.putAll(security(adminPassword));
      }
      if (!Files.exists(dataDir.resolve("log").resolve("meta.properties"))) {
        format(dataDir, Uuid.randomUuid().toString(), adminPassword);
      }
      KafkaRaftServer server = new KafkaRaftServer(new KafkaConfig(props, false), Time.SYSTEM);
      server.startup();
      KafkaBroker broker = new KafkaBroker(dataDir, "127.0.0.1:" + port, adminPassword, server);
      broker.keepData = true;
      broker.awaitReady(Duration.ofSeconds(60));
      return broker;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the Kafka broker in " + dataDir, e);
    }
  }

  /** The {@code bootstrap.servers} value that reaches this broker. */
  public String bootstrapServers() {
    return bootstrapServers;
  }

  /**
   * The client settings of the super user: none for a broker that is not secured, SCRAM for one
   * that is.
   */
  public Map<String, String> adminSettings() {
    return adminPassword == null ? Map.of() : clientSettings(ADMIN, adminPassword);
  }

  /** The client settings that authenticate {@code user} to a secured broker on loopback. */
  public static Map<String, String> clientSettings(String user, String password) {
    return Map.of(
        "security.protocol",
        "SASL_PLAINTEXT",
        "sasl.mechanism",
        MECHANISM,
        "sasl.jaas.config",
        jaas("org.apache.kafka.common.security.scram.ScramLoginModule", user, password, ""));
  }

  @Override
  public void close() {
    server.shutdown();
    server.awaitShutdown();
    if (!keepData) {
      deleteRecursively(dataDir);
    }
  }

  private static Map<String, Object> properties(Path dataDir, int brokerPort, int controllerPort) {
    Map<String, Object> p = new HashMap<>();
    p.put("process.roles", "broker,controller");
    p.put("node.id", String.valueOf(NODE_ID));
    p.put("controller.quorum.voters", NODE_ID + "@127.0.0.1:" + controllerPort);
    p.put(
        "listeners",
        "BROKER://127.0.0.1:" + brokerPort + ",CONTROLLER://127.0.0.1:" + controllerPort);
    p.put("advertised.listeners", "BROKER://127.0.0.1:" + brokerPort);
    p.put("listener.security.protocol.map", "BROKER:PLAINTEXT,CONTROLLER:PLAINTEXT");
    p.put("controller.listener.names", "CONTROLLER");
    p.put("inter.broker.listener.name", "BROKER");
    p.put("log.dirs", dataDir.resolve("log").toString());
    p.put("num.partitions", "1");
    p.put("offsets.topic.replication.factor", "1");
    p.put("offsets.topic.num.partitions", "1");
    p.put("transaction.state.log.replication.factor", "1");
    p.put("transaction.state.log.min.isr", "1");
    p.put("transaction.state.log.num.partitions", "1");
    p.put("share.coordinator.state.topic.replication.factor", "1");
    p.put("share.coordinator.state.topic.min.isr", "1");
    p.put("group.initial.rebalance.delay.ms", "0");
    p.put("auto.create.topics.enable", "true");
    return p;
  }

  /**
   * SCRAM on the client listener, PLAIN on the controller's, the standard authoriser with the super
   * user alone allowed what no ACL allows.
   */
  private static Map<String, Object> security(String adminPassword) {
    Map<String, Object> p = new HashMap<>();
    p.put("listener.security.protocol.map", "BROKER:SASL_PLAINTEXT,CONTROLLER:SASL_PLAINTEXT");
    p.put("sasl.mechanism.inter.broker.protocol", MECHANISM);
    p.put("sasl.mechanism.controller.protocol", "PLAIN");
    p.put("listener.name.broker.sasl.enabled.mechanisms", MECHANISM);
    p.put("listener.name.controller.sasl.enabled.mechanisms", "PLAIN");
    p.put(
        "listener.name.broker.scram-sha-512.sasl.jaas.config",
        jaas("org.apache.kafka.common.security.scram.ScramLoginModule", ADMIN, adminPassword, ""));
    p.put(
        "listener.name.controller.plain.sasl.jaas.config",
        jaas(
            "org.apache.kafka.common.security.plain.PlainLoginModule",
            ADMIN,
            adminPassword,
            " user_" + ADMIN + "=\"" + adminPassword + "\""));
    p.put("authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer");
    p.put("super.users", "User:" + ADMIN);
    p.put("allow.everyone.if.no.acl.found", "false");
    return p;
  }

  private static String jaas(String module, String user, String password, String more) {
    return module
        + " required username=\""
        + user
        + "\" password=\""
        + password
        + "\""
        + more
        + ";";
  }

  private static void format(Path dataDir, String clusterId, String adminPassword) {
    String logDir = dataDir.resolve("log").toString();
    try {
      Formatter formatter = new Formatter();
      if (adminPassword != null) {
        formatter.setScramArguments(
            List.of(MECHANISM + "=[name=" + ADMIN + ",password=" + adminPassword + "]"));
      }
      formatter
          .setPrintStream(new PrintStream(OutputStream.nullOutputStream()))
          .setSupportedFeatures(Feature.PRODUCTION_FEATURES)
          .setNodeId(NODE_ID)
          .setClusterId(clusterId)
          .setControllerListenerName("CONTROLLER")
          .setMetadataLogDirectory(logDir)
          .setDirectories(Set.of(logDir))
          .setReleaseVersion(MetadataVersion.LATEST_PRODUCTION)
          .run();
    } catch (Exception e) {
      throw new IllegalStateException("cannot format the test Kafka broker's storage", e);
    }
  }

  private void awaitReady(Duration timeout) {
    Map<String, Object> config = new HashMap<>();
    config.putAll(adminSettings());
    config.putAll(
        Map.of(
            AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
            bootstrapServers,
            AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG,
            5_000,
            AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG,
            (int) timeout.toMillis()));
    try (Admin admin = Admin.create(config)) {
      admin.describeCluster().nodes().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      close();
      throw new IllegalStateException("test Kafka broker did not become ready", e);
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      socket.setReuseAddress(true);
      return socket.getLocalPort();
    }
  }

  private static void deleteRecursively(Path dir) {
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // A leftover temp directory is harmless; the broker is already down.
    }
  }
}
