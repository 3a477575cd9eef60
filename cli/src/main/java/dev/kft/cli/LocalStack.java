package dev.kft.cli;

import dev.kft.events.Topics;
import dev.kft.io.FileTrees;
import dev.kft.local.LocalPostgres;
import dev.kft.local.Server;
import java.io.IOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;

/**
 * The local stack: one Apache Kafka broker and one PostgreSQL, each in a JVM process of their own,
 * and the four services as separate processes on loopback, with logs, process ids and data under
 * {@code .kft/}. No Docker.
 */
final class LocalStack {

  /** Ports of the stack. */
  record Ports(int kafka, int postgres, int dataPrep, int trainer, int evaluator, int registry) {
    static final Ports DEFAULT = new Ports(9092, 5433, 8081, 8082, 8083, 8084);
  }

  /** One process of the stack. */
  record Part(String name, List<String> command, String healthUrl) {}

  private final Settings settings;
  private final Ports ports;
  private final StackProcesses processes;

  LocalStack(Settings settings, Ports ports) {
    this.settings = settings;
    this.ports = ports;
    this.processes = new StackProcesses(settings);
  }

  /**
   * Starts every part not running (a crashed one is started again) and waits until each is healthy.
   *
   * @throws IOException naming the port and its process when a port of a part to start is taken
   */
  void up() throws IOException, InterruptedException {
    processes.createDirectories();
    String token = token();
    writeSettings(token);
    stopOrphanedPostgres();
    requirePortsFree();
    for (Part part : infrastructure()) {
      if (running(part.name()).isEmpty()) {
        if (part.name().equals("postgres")) {
          // as root the server runs as nobody, which must be able to enter its data's parent
          Files.createDirectories(postgresData().getParent());
          postgresData().getParent().toFile().setExecutable(true, false);
        }
        processes.start(part);
        processes.awaitLine(part.name(), Server.READY, Duration.ofMinutes(3));
      }
      System.out.println("  " + part.name() + " up");
    }
    createTopics();
    List<Part> services = new Services(settings, ports).parts(token);
    for (Part part : services) {
      if (running(part.name()).isEmpty()) {
        processes.start(part);
      }
    }
    for (Part part : services) {
      processes.awaitHealthy(part, Duration.ofMinutes(4));
      System.out.println("  " + part.name() + " up: " + part.healthUrl());
    }
  }

  /**
   * Stops every part, services first (and a PostgreSQL server its launcher left behind).
   *
   * @param purge also delete what the stack keeps on disk: {@code .kft/} (Kafka's log, checkpoints,
   *     registered versions, logs), the PostgreSQL data and the unpacked PostgreSQL binaries
   */
  void down(boolean purge) throws IOException, InterruptedException {
    List<String> order =
        List.of("registry", "evaluator", "trainer", "data-prep", "postgres", "kafka");
    for (String name : order) {
      Optional<ProcessHandle> p = running(name);
      if (p.isPresent()) {
        StackProcesses.stop(p.get());
        System.out.println("  " + name + " stopped");
      }
      processes.forget(name);
    }
    stopOrphanedPostgres();
    if (purge) {
      for (Path dir :
          List.of(settings.home(), postgresData().getParent(), LocalPostgres.binaries())) {
        FileTrees.delete(dir);
        System.out.println("  removed " + dir);
      }
    }
  }

  /** Stops a PostgreSQL server whose launcher died (it keeps its port and data otherwise). */
  private void stopOrphanedPostgres() throws IOException, InterruptedException {
    if (running("postgres").isPresent()) {
      return;
    }
    Optional<ProcessHandle> orphan = LocalPostgres.server(postgresData());
    if (orphan.isPresent()) {
      System.out.println(
          "  postgres: its launcher is gone; stopping the server it left (pid "
              + orphan.get().pid()
              + ")");
      LocalPostgres.stop(postgresData());
      orphan.get().onExit().join();
    }
  }

  /** Refuses to start when a port of a part not running yet is taken, naming who holds it. */
  private void requirePortsFree() throws IOException {
    List<Map.Entry<String, Integer>> wanted =
        List.of(
            Map.entry("kafka", ports.kafka()),
            Map.entry("postgres", ports.postgres()),
            Map.entry("data-prep", ports.dataPrep()),
            Map.entry("trainer", ports.trainer()),
            Map.entry("evaluator", ports.evaluator()),
            Map.entry("registry", ports.registry()));
    for (Map.Entry<String, Integer> e : wanted) {
      if (running(e.getKey()).isEmpty() && !PortOwner.free(e.getValue())) {
        throw new IOException(
            "port "
                + e.getValue()
                + " ("
                + e.getKey()
                + ") is taken by "
                + PortOwner.describe(e.getValue()).orElse("another process")
                + "; stop it, or start the stack on other ports (kft up --help)");
      }
    }
  }

  /** Kills a part at once, as a crash would (SIGKILL); {@link #up()} starts it again. */
  void kill(String name) throws IOException, InterruptedException {
    Optional<ProcessHandle> p = running(name);
    if (p.isPresent()) {
      p.get().destroyForcibly();
      p.get().onExit().join();
    }
  }

  /** One line per part: running or not, and healthy or not. */
  List<String> status() throws IOException, InterruptedException {
    List<String> lines = new ArrayList<>();
    List<Part> all = new ArrayList<>(infrastructure());
    all.addAll(new Services(settings, ports).parts(""));
    for (Part part : all) {
      Optional<ProcessHandle> p = running(part.name());
      String state = p.map(h -> "running (pid " + h.pid() + ")").orElse("stopped");
      if (p.isPresent() && part.healthUrl() != null) {
        state += StackProcesses.healthy(part.healthUrl()) ? ", ready" : ", not ready";
      }
      lines.add(String.format("%-10s %s", part.name(), state));
    }
    return lines;
  }

  /** Partitions of each topic: several, as in production, so that replicas share the work. */
  static final int PARTITIONS = 3;

  /** Creates every kft topic up front, so that readers never wait for a producer to make one. */
  private void createTopics() throws IOException, InterruptedException {
    try (Admin admin =
        Admin.create(
            Map.<String, Object>of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:" + ports.kafka()))) {
      Set<String> existing = admin.listTopics().names().get();
      List<NewTopic> missing =
          Topics.ALL.stream()
              .filter(t -> !existing.contains(t))
              .map(t -> new NewTopic(t, t.endsWith(".dlq") ? 1 : PARTITIONS, (short) 1))
              .toList();
      admin.createTopics(missing).all().get();
    } catch (ExecutionException e) {
      throw new IOException("could not create the kft topics: " + e.getCause().getMessage(), e);
    }
  }

  private List<Part> infrastructure() {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String cp = System.getProperty("java.class.path");
    return List.of(
        new Part(
            "kafka",
            List.of(
                java,
                "-Xmx1g",
                "-cp",
                cp,
                Server.class.getName(),
                "kafka",
                "" + ports.kafka(),
                settings.home().resolve("kafka").toString()),
            null),
        new Part(
            "postgres",
            List.of(
                java,
                "-cp",
                cp,
                Server.class.getName(),
                "postgres",
                "" + ports.postgres(),
                postgresData().toString()),
            null));
  }

  /**
   * PostgreSQL refuses to run as root and then runs as {@code nobody}, which may not enter the
   * checkout; its data then lives under {@code /var/tmp}, one directory per checkout.
   */
  Path postgresData() {
    if (!"root".equals(System.getProperty("user.name"))) {
      return settings.home().resolve("postgres");
    }
    String id = Integer.toHexString(settings.home().toString().hashCode());
    return Path.of("/var/tmp", "kft-postgres-" + id, "data");
  }

  Optional<ProcessHandle> running(String name) throws IOException {
    return processes.running(name);
  }

  /** The registry's write token, made once per checkout and kept in {@code .kft/token}. */
  private String token() throws IOException {
    Path file = settings.home().resolve("token");
    if (Files.isRegularFile(file)) {
      return Files.readString(file).trim();
    }
    byte[] bytes = new byte[24];
    new SecureRandom().nextBytes(bytes);
    String token = HexFormat.of().formatHex(bytes);
    Files.writeString(file, token);
    return token;
  }

  private void writeSettings(String token) throws IOException {
    Properties p = new Properties();
    p.setProperty("kafka", "127.0.0.1:" + ports.kafka());
    p.setProperty("registry", "http://127.0.0.1:" + ports.registry());
    p.setProperty("token", token);
    try (Writer w = Files.newBufferedWriter(settings.home().resolve(Settings.FILE))) {
      p.store(w, "written by kft up");
    }
  }
}
