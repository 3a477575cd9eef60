package dev.kft.cli;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

/**
 * The processes of the local stack: started with their output in {@code .kft/logs/<part>.log} and
 * their process id in {@code .kft/pids/<part>.pid}, found again by that id, waited for, stopped.
 */
final class StackProcesses {

  private final Path root;
  private final Path home;
  private final Path logs;
  private final Path pids;

  StackProcesses(Settings settings) {
    this.root = settings.root();
    this.home = settings.home();
    this.logs = home.resolve("logs");
    this.pids = home.resolve("pids");
  }

  Path logs() {
    return logs;
  }

  /** Makes {@code .kft/} (its owner's alone: it holds the stack's secrets and data) and more. */
  void createDirectories() throws IOException {
    Files.createDirectories(home);
    Files.setPosixFilePermissions(
        home, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
    Files.createDirectories(logs);
    Files.createDirectories(pids);
  }

  void forget(String name) throws IOException {
    Files.deleteIfExists(pids.resolve(name + ".pid"));
  }

  /**
   * Starts {@code part} with its output appended to its log.
   *
   * @return the log's length before the start, where this run's output begins
   */
  long start(LocalStack.Part part) throws IOException {
    Path log = logs.resolve(part.name() + ".log");
    long before = Files.isRegularFile(log) ? Files.size(log) : 0;
    ProcessBuilder builder =
        new ProcessBuilder(part.command())
            .directory(root.toFile())
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    // DJL must never reach the network, nor report usage
    builder.environment().put("OPT_OUT_TRACKING", "true");
    builder.environment().put("DJL_OFFLINE", "true");
    builder.environment().put("DJL_CACHE_DIR", home.resolve("djl-cache").toString());
    builder.environment().putAll(part.environment());
    Process p = builder.start();
    Files.writeString(pids.resolve(part.name() + ".pid"), Long.toString(p.pid()));
    return before;
  }

  /** The names of the parts with a process id on record. */
  List<String> recorded() throws IOException {
    if (!Files.isDirectory(pids)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(pids)) {
      return files
          .map(f -> f.getFileName().toString())
          .filter(f -> f.endsWith(".pid"))
          .map(f -> f.substring(0, f.length() - ".pid".length()))
          .sorted()
          .toList();
    }
  }

  Optional<ProcessHandle> running(String name) throws IOException {
    Path file = pids.resolve(name + ".pid");
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    long pid = Long.parseLong(Files.readString(file).trim());
    return ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
  }

  /** Waits for {@code marker} in the part's log, after {@code from} (where its run began). */
  void awaitLine(String name, String marker, long from, Duration timeout)
      throws IOException, InterruptedException {
    Path log = logs.resolve(name + ".log");
    Instant deadline = Instant.now().plus(timeout);
    while (Instant.now().isBefore(deadline)) {
      if (Files.isRegularFile(log) && since(log, from).contains(marker)) {
        return;
      }
      if (running(name).isEmpty()) {
        throw new IOException(name + " exited while starting; see " + log);
      }
      Thread.sleep(250);
    }
    throw new IOException(name + " did not start within " + timeout + "; see " + log);
  }

  private static String since(Path log, long from) throws IOException {
    try (FileChannel channel = FileChannel.open(log)) {
      channel.position(Math.min(from, channel.size()));
      return new String(Channels.newInputStream(channel).readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  void awaitHealthy(LocalStack.Part part, Duration timeout)
      throws IOException, InterruptedException {
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

  /** Stops a process (SIGTERM), forcibly after a minute. */
  static void stop(ProcessHandle p) {
    p.destroy();
    try {
      p.onExit().get(60, TimeUnit.SECONDS);
    } catch (ExecutionException | TimeoutException e) {
      p.destroyForcibly();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
