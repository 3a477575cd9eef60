package dev.kft.cli;

import dev.kft.events.Topics;
import dev.kft.local.Server;
import java.io.IOException;
import java.io.Writer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
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
  private final Path logs;
  private final Path pids;

  LocalStack(Settings settings, Ports ports) {
    this.settings = settings;
    this.ports = ports;
    this.logs = settings.home().resolve("logs");
    this.pids = settings.home().resolve("pids");
  }

  /** Starts every part not running yet and waits until each is healthy. */
  void up() throws IOException, InterruptedException {
    Files.createDirectories(logs);
    Files.createDirectories(pids);
    String token = token();
    writeSettings(token);
    for (Part part : infrastructure()) {
      if (running(part.name()).isEmpty()) {
        start(part);
        awaitLine(part.name(), Server.READY, Duration.ofMinutes(3));
      }
      System.out.println("  " + part.name() + " up");
    }
    createTopics();
    List<Part> services = new Services(settings, ports).parts(token);
    for (Part part : services) {
      if (running(part.name()).isEmpty()) {
        start(part);
      }
    }
    for (Part part : services) {
      awaitHealthy(part, Duration.ofMinutes(4));
      System.out.println("  " + part.name() + " up: " + part.healthUrl());
    }
  }

  /** Stops every part, services first. */
  void down() throws IOException, InterruptedException {
    List<String> order =
        List.of("registry", "evaluator", "trainer", "data-prep", "postgres", "kafka");
    for (String name : order) {
      Optional<ProcessHandle> p = running(name);
      if (p.isPresent()) {
        p.get().destroy();
        try {
          p.get().onExit().get(60, java.util.concurrent.TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException
            | java.util.concurrent.TimeoutException e) {
          p.get().destroyForcibly();
        }
        System.out.println("  " + name + " stopped");
      }
      Files.deleteIfExists(pids.resolve(name + ".pid"));
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
        state += healthy(part.healthUrl()) ? ", ready" : ", not ready";
      }
      lines.add(String.format("%-10s %s", part.name(), state));
    }
    return lines;
  }

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
              .map(t -> new NewTopic(t, 1, (short) 1))
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

  private void start(Part part) throws IOException {
    Path log = logs.resolve(part.name() + ".log");
    if (part.name().equals("postgres")) {
      Files.createDirectories(postgresData().getParent());
      postgresData().getParent().toFile().setExecutable(true, false);
    }
    ProcessBuilder builder =
        new ProcessBuilder(part.command())
            .directory(settings.root().toFile())
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    // DJL must never reach the network, nor report usage
    builder.environment().put("OPT_OUT_TRACKING", "true");
    builder.environment().put("DJL_OFFLINE", "true");
    builder.environment().put("DJL_CACHE_DIR", settings.home().resolve("djl-cache").toString());
    Process p = builder.start();
    Files.writeString(pids.resolve(part.name() + ".pid"), Long.toString(p.pid()));
  }

  Optional<ProcessHandle> running(String name) throws IOException {
    Path file = pids.resolve(name + ".pid");
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    long pid = Long.parseLong(Files.readString(file).trim());
    return ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
  }

  private void awaitLine(String name, String marker, Duration timeout)
      throws IOException, InterruptedException {
    Path log = logs.resolve(name + ".log");
    Instant deadline = Instant.now().plus(timeout);
    while (Instant.now().isBefore(deadline)) {
      if (Files.isRegularFile(log) && Files.readString(log).contains(marker)) {
        return;
      }
      if (running(name).isEmpty()) {
        throw new IOException(name + " exited while starting; see " + log);
      }
      Thread.sleep(250);
    }
    throw new IOException(name + " did not start within " + timeout + "; see " + log);
  }

  private void awaitHealthy(Part part, Duration timeout) throws IOException, InterruptedException {
    Instant deadline = Instant.now().plus(timeout);
    while (Instant.now().isBefore(deadline)) {
      if (healthy(part.healthUrl())) {
        return;
      }
      if (running(part.name()).isEmpty()) {
        throw new IOException(
            part.name() + " exited while starting; see " + logs.resolve(part.name() + ".log"));
      }
      Thread.sleep(500);
    }
    throw new IOException(part.name() + " was not ready within " + timeout);
  }

  static boolean healthy(String url) throws InterruptedException {
    try {
      HttpResponse<Void> r =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
                  HttpResponse.BodyHandlers.discarding());
      return r.statusCode() == 200;
    } catch (IOException e) {
      return false;
    }
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
