package dev.kft.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kft.io.Sha256;
import dev.kft.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Calls the REST APIs of the stack: the registry's (with the stack's bearer token on writes) and
 * the inference service's.
 */
final class ApiClient {

  /** An answer other than 2xx, with the problem's detail. */
  static final class Failure extends IOException {
    final int status;

    Failure(int status, String detail) {
      super(detail);
      this.status = status;
    }
  }

  private final String base;
  private final String token;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

  private ApiClient(String base, String token) {
    this.base = base;
    this.token = token;
  }

  /** The registry of the stack {@code settings} point at. */
  static ApiClient registry(Settings settings) {
    return new ApiClient(settings.registry(), settings.token());
  }

  /** The inference service of the stack {@code settings} point at. */
  static ApiClient inference(Settings settings) {
    // the registry's token is the registry's: the inference service never sees it
    return new ApiClient(settings.inference(), null);
  }

  JsonNode get(String path) throws IOException, InterruptedException {
    return send(authorized(request(path)).GET());
  }

  JsonNode put(String path, Object body) throws IOException, InterruptedException {
    return send(
        authorized(request(path)).header("Content-Type", "application/json").PUT(json(body)));
  }

  JsonNode post(String path) throws IOException, InterruptedException {
    return send(authorized(request(path)).POST(HttpRequest.BodyPublishers.noBody()));
  }

  JsonNode delete(String path) throws IOException, InterruptedException {
    return send(authorized(request(path)).DELETE());
  }

  JsonNode post(String path, Object body) throws IOException, InterruptedException {
    return send(
        authorized(request(path)).header("Content-Type", "application/json").POST(json(body)));
  }

  /**
   * Submits a job spec (its text, YAML or JSON) through {@code POST /api/jobs}; returns the answer
   * ({@code jobId}, {@code warnings}). A refusal's problems are in the {@link Failure}'s message,
   * one per line.
   */
  JsonNode submit(String spec, String jobId) throws IOException, InterruptedException {
    return send(
        authorized(request("/api/jobs?job_id=" + jobId))
            .header("Content-Type", "application/yaml")
            .POST(HttpRequest.BodyPublishers.ofString(spec)));
  }

  /**
   * The job's server-sent events ({@code GET /api/jobs/{id}/events}), from after {@code
   * lastEventId} when given; open until the stream ends or is closed.
   */
  InputStream events(String jobId, String lastEventId) throws IOException, InterruptedException {
    HttpRequest.Builder b =
        authorized(HttpRequest.newBuilder(URI.create(base + "/api/jobs/" + jobId + "/events")))
            .header("Accept", "text/event-stream");
    if (lastEventId != null) {
      b.header("Last-Event-ID", lastEventId);
    }
    HttpResponse<InputStream> r =
        exchange(b.GET().build(), HttpResponse.BodyHandlers.ofInputStream());
    if (r.statusCode() != 200) {
      try (InputStream body = r.body()) {
        JsonNode problem = Json.mapper().readTree(body.readAllBytes());
        throw new Failure(r.statusCode(), problem.path("detail").asText("HTTP " + r.statusCode()));
      }
    }
    return r.body();
  }

  /** Downloads to {@code file} and checks the sha256 the registry sent; returns it. */
  String download(String path, Path file) throws IOException, InterruptedException {
    HttpResponse<Path> r =
        http.send(authorized(request(path)).GET().build(), HttpResponse.BodyHandlers.ofFile(file));
    if (r.statusCode() / 100 != 2) {
      throw new Failure(r.statusCode(), "download failed with HTTP " + r.statusCode());
    }
    String expected = r.headers().firstValue("X-Checksum-SHA256").orElse("");
    String actual = Sha256.file(file);
    if (!actual.equals(expected)) {
      throw new IOException(
          "downloaded sha256 " + actual + " differs from the registry's " + expected);
    }
    return actual;
  }

  private static HttpRequest.BodyPublisher json(Object body) throws IOException {
    return HttpRequest.BodyPublishers.ofString(Json.mapper().writeValueAsString(body));
  }

  private HttpRequest.Builder request(String path) {
    return HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60));
  }

  private HttpRequest.Builder authorized(HttpRequest.Builder b) {
    return token == null ? b : b.header("Authorization", "Bearer " + token);
  }

  private JsonNode send(HttpRequest.Builder b) throws IOException, InterruptedException {
    HttpResponse<String> r = exchange(b.build(), HttpResponse.BodyHandlers.ofString());
    JsonNode body =
        r.body().isBlank() ? Json.mapper().nullNode() : Json.mapper().readTree(r.body());
    if (r.statusCode() / 100 != 2) {
      StringBuilder detail =
          new StringBuilder(body.path("detail").asText("HTTP " + r.statusCode() + " " + r.body()));
      // a refused job spec names each problem at its path
      body.path("problems")
          .forEach(
              p ->
                  detail
                      .append("\n  ")
                      .append(p.path("path").asText())
                      .append(": ")
                      .append(p.path("message").asText()));
      throw new Failure(r.statusCode(), detail.toString());
    }
    return body;
  }

  /** Sends a request; a stack that cannot be reached is said so in one line. */
  private <T> HttpResponse<T> exchange(HttpRequest request, HttpResponse.BodyHandler<T> body)
      throws IOException, InterruptedException {
    try {
      return http.send(request, body);
    } catch (java.net.ConnectException | java.net.http.HttpConnectTimeoutException e) {
      throw new IOException("cannot reach " + base + " (is the stack up? kft status)", e);
    }
  }
}
