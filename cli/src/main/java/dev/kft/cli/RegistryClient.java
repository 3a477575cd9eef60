package dev.kft.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kft.io.Sha256;
import dev.kft.json.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;

/** Calls the registry's REST API, with the stack's bearer token on writes. */
final class RegistryClient {

  /** An answer other than 2xx, with the problem's detail. */
  static final class Failure extends IOException {
    final int status;

    Failure(int status, String detail) {
      super(detail);
      this.status = status;
    }
  }

  private final Settings settings;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

  RegistryClient(Settings settings) {
    this.settings = settings;
  }

  JsonNode get(String path) throws IOException, InterruptedException {
    return send(request(path).GET());
  }

  JsonNode put(String path, Object body) throws IOException, InterruptedException {
    return send(
        authorized(request(path))
            .header("Content-Type", "application/json")
            .PUT(HttpRequest.BodyPublishers.ofString(Json.mapper().writeValueAsString(body))));
  }

  JsonNode post(String path) throws IOException, InterruptedException {
    return send(authorized(request(path)).POST(HttpRequest.BodyPublishers.noBody()));
  }

  /** Downloads to {@code file} and checks the sha256 the registry sent; returns it. */
  String download(String path, Path file) throws IOException, InterruptedException {
    HttpResponse<Path> r =
        http.send(request(path).GET().build(), HttpResponse.BodyHandlers.ofFile(file));
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

  private HttpRequest.Builder request(String path) {
    return HttpRequest.newBuilder(URI.create(settings.registry() + path))
        .timeout(Duration.ofSeconds(60))
        .header("X-Kft-User", System.getProperty("user.name", "cli"));
  }

  private HttpRequest.Builder authorized(HttpRequest.Builder b) {
    return settings.token() == null ? b : b.header("Authorization", "Bearer " + settings.token());
  }

  private JsonNode send(HttpRequest.Builder b) throws IOException, InterruptedException {
    HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    JsonNode body =
        r.body().isBlank() ? Json.mapper().nullNode() : Json.mapper().readTree(r.body());
    if (r.statusCode() / 100 != 2) {
      throw new Failure(
          r.statusCode(), body.path("detail").asText("HTTP " + r.statusCode() + " " + r.body()));
    }
    return body;
  }
}
