package dev.kft.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kft.json.Json;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A real Prometheus (Debian's {@code prometheus} binary) scraping given services every second, as
 * the compose stack's configuration does, answering PromQL queries over its HTTP API.
 */
final class LocalPrometheus implements AutoCloseable {

  static final Path BINARY = Path.of("/usr/bin/prometheus");

  private final Process process;
  private final int port;
  private final HttpClient http = HttpClient.newHttpClient();

  /**
   * @param targets service label to {@code host:port}
   */
  LocalPrometheus(Path dir, Map<String, String> targets) throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    String configs =
        targets.entrySet().stream()
            .map(
                e ->
                    "      - targets: [\""
                        + e.getValue()
                        + "\"]\n        labels: {service: "
                        + e.getKey()
                        + "}")
            .collect(Collectors.joining("\n"));
    Path config = dir.resolve("prometheus.yml");
    Files.writeString(
        config,
        "global: {scrape_interval: 1s}\nscrape_configs:\n  - job_name: kft\n"
            + "    metrics_path: /q/metrics\n    static_configs:\n"
            + configs
            + "\n");
    process =
        new ProcessBuilder(
                BINARY.toString(),
                "--config.file=" + config,
                "--storage.tsdb.path=" + dir.resolve("data"),
                "--web.listen-address=127.0.0.1:" + port)
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("prometheus.log").toFile())
            .start();
  }

  /** The result vector of an instant query (empty while Prometheus is starting). */
  JsonNode query(String promql) throws InterruptedException {
    URI uri =
        URI.create(
            "http://127.0.0.1:"
                + port
                + "/api/v1/query?query="
                + URLEncoder.encode(promql, StandardCharsets.UTF_8));
    try {
      String body =
          http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString())
              .body();
      return Json.mapper().readTree(body).path("data").path("result");
    } catch (IOException e) {
      return Json.mapper().createArrayNode();
    }
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    process.waitFor();
  }
}
