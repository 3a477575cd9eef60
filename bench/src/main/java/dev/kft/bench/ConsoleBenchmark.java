package dev.kft.bench;

import dev.kft.local.KafkaBroker;
import dev.kft.local.LocalPostgres;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * How fast the console's pages are served by a registry holding 1,000 jobs and about 100,000 metric
 * points: the packaged registry on a real PostgreSQL, filled by SQL, each page timed as the sum of
 * the requests it makes, one after another (a browser makes some at once, so a page is ready sooner
 * than this).
 */
public final class ConsoleBenchmark {

  private static final int JOBS = 1000;
  private static final int WARMUP = 10;
  private static final int ROUNDS = 50;
  private static final String TOKEN = UUID.randomUUID() + "-" + UUID.randomUUID();
  private static final String PASSWORD = UUID.randomUUID().toString();

  private ConsoleBenchmark() {}

  public static void main(String[] args) throws Exception {
    Path jar = Path.of(args[0]);
    Path work = Files.createTempDirectory("kft-console-bench-");
    // as root the database server runs as nobody, which must be able to enter this directory
    work.toFile().setExecutable(true, false);
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    try (LocalPostgres postgres = LocalPostgres.start(work.resolve("pg"), 0, false, PASSWORD);
        KafkaBroker broker = KafkaBroker.start()) {
      ProcessBuilder registry =
          new ProcessBuilder(
                  Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                  "-Dkafka.bootstrap.servers=" + broker.bootstrapServers(),
                  "-Dquarkus.http.port=" + port,
                  "-Dquarkus.datasource.jdbc.url=" + postgres.jdbcUrl(),
                  "-Dkft.registry.artifact-root=" + work.resolve("artifacts"),
                  "-Dkft.registry.model-root=" + work.resolve("registry"),
                  "-jar",
                  jar.toString())
              .redirectErrorStream(true)
              .redirectOutput(work.resolve("registry.log").toFile());
      registry.environment().put("KFT_REGISTRY_API_TOKEN", TOKEN);
      registry.environment().put("KFT_REGISTRY_DB_PASSWORD", PASSWORD);
      Process service = registry.start();
      try {
        HttpClient http = HttpClient.newHttpClient();
        String base = "http://127.0.0.1:" + port;
        awaitUp(http, base, service);
        long points = seed(postgres.jdbcUrl());
        System.out.printf(
            Locale.ROOT, "registry holds %d jobs and %d metric points%n", JOBS, points);
        report(http, base);
      } finally {
        service.destroy();
        service.waitFor();
      }
    }
  }

  private static void awaitUp(HttpClient http, String base, Process service) throws Exception {
    Instant deadline = Instant.now().plus(Duration.ofMinutes(2));
    while (Instant.now().isBefore(deadline) && service.isAlive()) {
      try {
        if (get(http, base + "/api/console/jobs").statusCode() == 200) {
          return;
        }
      } catch (java.io.IOException e) {
        // not listening yet
      }
      Thread.sleep(500);
    }
    throw new IllegalStateException("the registry did not start: see its log");
  }

  /** Fills the registry's tables; returns how many metric points it holds. */
  private static long seed(String jdbcUrl) throws Exception {
    try (Connection db = DriverManager.getConnection(jdbcUrl, "postgres", PASSWORD);
        Statement sql = db.createStatement()) {
      for (String statement : ConsoleSeed.jobs(JOBS)) {
        sql.execute(statement);
      }
      for (String statement : ConsoleSeed.model()) {
        sql.execute(statement);
      }
      sql.execute("analyze");
      try (ResultSet count = sql.executeQuery("select count(*) from job_metric")) {
        count.next();
        return count.getLong(1);
      }
    }
  }

  private static void report(HttpClient http, String base) throws Exception {
    Map<String, List<String>> pages = new LinkedHashMap<>();
    pages.put("jobs, first page", List.of("/console/", "/api/console/jobs?page=1&size=25"));
    pages.put("jobs, last page", List.of("/console/", "/api/console/jobs?page=40&size=25"));
    pages.put("jobs, TRAINING only", List.of("/console/", "/api/console/jobs?status=TRAINING"));
    pages.put("job with 51,060 points", jobPage(ConsoleSeed.BIG_JOB));
    pages.put("job with 49 points", jobPage(ConsoleSeed.job(500)));
    pages.put("models", List.of("/console/", "/api/models"));
    pages.put(
        "model with 50 versions",
        List.of(
            "/console/",
            "/api/models/bench-model/versions",
            "/api/models/bench-model/alias-history",
            "/api/console/models/bench-model/charts/f1.svg"));
    System.out.printf(
        Locale.ROOT, "%-24s %9s %9s %9s %9s%n", "page", "requests", "p50 ms", "p95 ms", "max ms");
    for (Map.Entry<String, List<String>> page : pages.entrySet()) {
      for (int i = 0; i < WARMUP; i++) {
        load(http, base, page.getValue());
      }
      List<Double> ms = new ArrayList<>();
      for (int i = 0; i < ROUNDS; i++) {
        ms.add(load(http, base, page.getValue()));
      }
      Collections.sort(ms);
      System.out.printf(
          Locale.ROOT,
          "%-24s %9d %9.1f %9.1f %9.1f%n",
          page.getKey(),
          page.getValue().size(),
          ms.get(ms.size() / 2),
          ms.get((int) Math.ceil(ms.size() * 0.95) - 1),
          ms.get(ms.size() - 1));
    }
  }

  private static List<String> jobPage(String id) {
    String charts = "/api/console/jobs/" + id + "/charts/";
    return List.of(
        "/console/",
        "/api/console/jobs/" + id,
        charts + "loss.svg",
        charts + "evaluation.svg",
        charts + "learning_rate.svg",
        charts + "confusion_matrix.svg");
  }

  /** Milliseconds to fetch every request of a page, one after another. */
  private static double load(HttpClient http, String base, List<String> paths) throws Exception {
    long t0 = System.nanoTime();
    for (String path : paths) {
      HttpResponse<String> response = get(http, base + path);
      if (response.statusCode() != 200) {
        throw new IllegalStateException(path + " answered " + response.statusCode());
      }
    }
    return (System.nanoTime() - t0) / 1e6;
  }

  private static HttpResponse<String> get(HttpClient http, String url) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + TOKEN).build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
