package dev.kft.cli;

import dev.kft.events.Topics;
import dev.kft.io.FileTrees;
import dev.kft.local.BrokerAccess;
import dev.kft.local.KafkaBroker;
import dev.kft.local.LocalPostgres;
import dev.kft.local.OwnedPaths;
import dev.kft.local.PostgresBinaries;
import dev.kft.local.Server;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
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
 * and the five services as separate processes on loopback (data-prep, the trainer and the evaluator
 * as one or more instances each), with logs, process ids and data under {@code .kft/}. No Docker.
 */
final class LocalStack {

  /** Ports of the stack. */
  record Ports(
      int kafka,
      int postgres,
      int dataPrep,
      int trainer,
      int evaluator,
      int registry,
      int inference) {
    static final Ports DEFAULT = new Ports(9092, 5433, 8081, 8082, 8083, 8084, 8085);
  }

  /**
   * One process of the stack, listening on {@code port}.
   *
   * @param environment variables set for the process beside the caller's: secrets go here, never on
   *     the command line, which every local user can read in {@code /proc}
   */
  record Part(
      String name,
      int port,
      List<String> command,
      String healthUrl,
      Map<String, String> environment) {

    Part(String name, int port, List<String> command, String healthUrl) {
      this(name, port, command, healthUrl, Map.of());
    }
  }

  /** The setting in {@code .kft/stack.properties} that keeps the number of instances. */
  static final String REPLICAS = "replicas";

  private final Settings settings;
  private final Ports ports;
  private final int replicas;
  private final StackProcesses processes;

  /**
   * @param replicas instances each of data-prep, the trainer and the evaluator (the registry runs
   *     once)
   */
  LocalStack(Settings settings, Ports ports, int replicas) {
    if (replicas < 1 || replicas > 9) {
      throw new IllegalArgumentException("replicas must be 1 to 9, not " + replicas);
    }
    this.settings = settings;
    this.ports = ports;
    this.replicas = replicas;
    this.processes = new StackProcesses(settings);
  }

  /** The number of instances the last {@code kft up} of this checkout started, else 1. */
  static int recordedReplicas(Settings settings) throws IOException {
    Path file = settings.home().resolve(Settings.FILE);
    Properties p = new Properties();
    if (Files.isRegularFile(file)) {
      try (var r = Files.newBufferedReader(file)) {
        p.load(r);
      }
    }
    return Integer.parseInt(p.getProperty(REPLICAS, "1"));
  }

  /**
   * Starts every part not running (a crashed one is started again) and waits until each is healthy.
   *
   * @throws IOException naming the port and its process when a port of a part to start is taken
   */
  void up() throws IOException, InterruptedException {
    processes.createDirectories();
    StackSecrets secrets = StackSecrets.load(settings.home());
    writeSettings(secrets.token());
    stopOrphanedPostgres();
    requirePortsFree();
    for (Part part : infrastructure(secrets)) {
      start(part.name());
      System.out.println("  " + part.name() + " up");
    }
    createTopicsAndUsers(secrets.kafka());
    List<Part> services = services(secrets);
    for (Part part : services) {
      start(part.name());
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
    List<String> order = new ArrayList<>(processes.recorded());
    order.removeAll(List.of("postgres", "kafka"));
    order.addAll(List.of("postgres", "kafka"));
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
          List.of(settings.home(), postgresData().getParent(), PostgresBinaries.directory())) {
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
    for (Part part : parts(StackSecrets.NONE)) {
      if (running(part.name()).isEmpty() && !PortOwner.free(part.port())) {
        throw new IOException(
            "port "
                + part.port()
                + " ("
                + part.name()
                + ") is taken by "
                + PortOwner.describe(part.port()).orElse("another process")
                + "; stop it, or start the stack on other ports (kft up --help)");
      }
    }
  }

  /**
   * Starts the part named {@code name} unless it runs; waits until Kafka or PostgreSQL serves, but
   * not for a service to be ready (see {@link #up()}).
   */
  void start(String name) throws IOException, InterruptedException {
    if (running(name).isPresent()) {
      return;
    }
    Part part =
        parts(StackSecrets.load(settings.home())).stream()
            .filter(p -> p.name().equals(name))
            .findFirst()
            .orElseThrow(() -> new IllegalArgumentException("no part named " + name));
    if (part.name().equals("postgres")) {
      // as root the server runs as nobody, which must be able to enter its data's parent; made
      // by this user alone, in a place where another could have made it first
      OwnedPaths.prepareParent(postgresData().getParent());
    }
    long from = processes.start(part);
    if (part.healthUrl() == null) {
      processes.awaitLine(part.name(), Server.READY, from, Duration.ofMinutes(3));
    }
  }

  /** Every part: Kafka, PostgreSQL, then the services' instances. */
  List<Part> parts(StackSecrets secrets) {
    List<Part> all = new ArrayList<>(infrastructure(secrets));
    all.addAll(services(secrets));
    return all;
  }

  private List<Part> services(StackSecrets secrets) {
    return new Services(settings, ports).parts(secrets, replicas);
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
    for (Part part : parts(StackSecrets.NONE)) {
      Optional<ProcessHandle> p = running(part.name());
      String state = p.map(h -> "running (pid " + h.pid() + ")").orElse("stopped");
      if (p.isPresent() && part.healthUrl() != null) {
        state += StackProcesses.healthy(part.healthUrl()) ? ", ready" : ", not ready";
      }
      lines.add(String.format("%-12s %s", part.name(), state));
    }
    return lines;
  }

  /** Partitions of each topic: several, as in production, so that replicas share the work. */
  static final int PARTITIONS = 3;

  /**
   * Creates every kft topic up front, so that readers never wait for a producer to make one, and
   * gives each principal its credential and ACLs.
   */
  private void createTopicsAndUsers(KafkaUsers users) throws IOException, InterruptedException {
    Map<String, Object> config = new HashMap<>(users.clientSettings(KafkaBroker.ADMIN));
    config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:" + ports.kafka());
    try (Admin admin = Admin.create(config)) {
      Set<String> existing = admin.listTopics().names().get();
      List<NewTopic> missing =
          Topics.ALL.stream()
              .filter(t -> !existing.contains(t))
              .map(t -> new NewTopic(t, t.endsWith(".dlq") ? 1 : PARTITIONS, (short) 1))
              .toList();
      admin.createTopics(missing).all().get();
      BrokerAccess.grant(admin, users.principals());
    } catch (ExecutionException e) {
      throw new IOException(
          "could not create the kft topics and users: " + e.getCause().getMessage(), e);
    }
  }

  private List<Part> infrastructure(StackSecrets secrets) {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String cp = System.getProperty("java.class.path");
    return List.of(
        new Part(
            "kafka",
            ports.kafka(),
            List.of(
                java,
                "-Xmx1g",
                "-cp",
                cp,
                Server.class.getName(),
                "kafka",
                "" + ports.kafka(),
                settings.home().resolve("kafka").toString()),
            null,
            secrets.kafka().brokerEnvironment()),
        new Part(
            "postgres",
            ports.postgres(),
            List.of(
                java,
                "-cp",
                cp,
                Server.class.getName(),
                "postgres",
                "" + ports.postgres(),
                postgresData().toString()),
            null,
            Map.of(Server.POSTGRES_PASSWORD, secrets.database())));
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

  private void writeSettings(String token) throws IOException {
    Properties p = new Properties();
    p.setProperty("kafka", "127.0.0.1:" + ports.kafka());
    p.setProperty("registry", "http://127.0.0.1:" + ports.registry());
    p.setProperty("inference", "http://127.0.0.1:" + ports.inference());
    p.setProperty("token", token);
    p.setProperty(REPLICAS, Integer.toString(replicas));
    StringWriter w = new StringWriter();
    p.store(w, "written by kft up");
    // it holds the token
    OwnerOnly.write(settings.home().resolve(Settings.FILE), w.toString());
  }
}
