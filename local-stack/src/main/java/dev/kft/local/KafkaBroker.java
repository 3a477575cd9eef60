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
 */
public final class KafkaBroker implements AutoCloseable {

  private static final int NODE_ID = 1;

  private final Path dataDir;
  private final String bootstrapServers;
  private final KafkaRaftServer server;

  private KafkaBroker(Path dataDir, String bootstrapServers, KafkaRaftServer server) {
    this.dataDir = dataDir;
    this.bootstrapServers = bootstrapServers;
    this.server = server;
  }

  private boolean keepData;

  /** Starts a broker on random ports with fresh storage, deleted on {@link #close()}. */
  public static KafkaBroker start() {
    try {
      KafkaBroker broker = start(Files.createTempDirectory("kft-kafka-"), freePort());
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
    try {
      Files.createDirectories(dataDir);
      int controllerPort = freePort();
      Map<String, Object> props = properties(dataDir, port, controllerPort);
      if (!Files.exists(dataDir.resolve("log").resolve("meta.properties"))) {
        format(dataDir, Uuid.randomUuid().toString());
      }
      KafkaRaftServer server = new KafkaRaftServer(new KafkaConfig(props, false), Time.SYSTEM);
      server.startup();
      KafkaBroker broker = new KafkaBroker(dataDir, "127.0.0.1:" + port, server);
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
        "PLAINTEXT://127.0.0.1:" + brokerPort + ",CONTROLLER://127.0.0.1:" + controllerPort);
    p.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + brokerPort);
    p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
    p.put("controller.listener.names", "CONTROLLER");
    p.put("inter.broker.listener.name", "PLAINTEXT");
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

  private static void format(Path dataDir, String clusterId) {
    String logDir = dataDir.resolve("log").toString();
    try {
      new Formatter()
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
    Map<String, Object> config =
        Map.of(
            AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
            bootstrapServers,
            AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG,
            5_000,
            AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG,
            (int) timeout.toMillis());
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
