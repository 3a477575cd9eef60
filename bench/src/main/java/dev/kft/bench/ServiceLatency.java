package dev.kft.bench;

import dev.kft.events.Event;
import dev.kft.events.ModelVersionRegistered;
import dev.kft.events.Topics;
import dev.kft.json.Json;
import dev.kft.local.KafkaBroker;
import dev.kft.testing.KafkaTestClient;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Single-request latency of the packaged inference service on loopback: a Kafka broker in this JVM
 * announces one exported version, the service runs as its own process, and {@value #CLIENTS}
 * clients each send {@value #REQUESTS} one-review requests back to back (a bounded load); prints
 * p50 and p99 of the answered requests.
 */
final class ServiceLatency {

  static final int CLIENTS = 2;
  static final int REQUESTS = 200;
  static final int WARMUP = 20;

  private ServiceLatency() {}

  static void measure(Path jar, Path work, Path model, List<String> texts) throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    try (KafkaBroker broker = KafkaBroker.start()) {
      new KafkaTestClient(broker.bootstrapServers())
          .publish(
              Topics.MODELS,
              new ModelVersionRegistered(
                  Event.newId(),
                  "bench",
                  Instant.now(),
                  "bench",
                  1,
                  model.toUri().toString(),
                  "bench",
                  Files.size(model.resolve("model.safetensors"))));
      Process service =
          new ProcessBuilder(
                  Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                  "-Dai.djl.offline=true",
                  "-Dai.djl.pytorch.num_threads="
                      + System.getProperty("ai.djl.pytorch.num_threads", "2"),
                  "-Dkafka.bootstrap.servers=" + broker.bootstrapServers(),
                  "-Dquarkus.http.port=" + port,
                  "-Dkft.inference.model-roots=" + model.getParent(),
                  "-jar",
                  jar.toString())
              .redirectErrorStream(true)
              .redirectOutput(work.resolve("inference.log").toFile())
              .start();
      try {
        URI uri = URI.create("http://127.0.0.1:" + port + "/api/predict/bench");
        HttpClient http = HttpClient.newHttpClient();
        awaitAnswer(http, uri, texts.get(0));
        for (int i = 0; i < WARMUP; i++) {
          send(http, uri, texts.get(i));
        }
        long t0 = System.nanoTime();
        List<Double> ms = load(http, uri, texts);
        report(ms, (System.nanoTime() - t0) / 1e9);
      } finally {
        service.destroy();
        service.waitFor();
      }
    }
  }

  private static List<Double> load(HttpClient http, URI uri, List<String> texts) throws Exception {
    ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
    List<Future<List<Double>>> runs = new ArrayList<>();
    for (int c = 0; c < CLIENTS; c++) {
      int offset = c * REQUESTS;
      runs.add(
          clients.submit(
              () -> {
                List<Double> ms = new ArrayList<>();
                for (int i = 0; i < REQUESTS; i++) {
                  long t0 = System.nanoTime();
                  send(http, uri, texts.get((offset + i) % texts.size()));
                  ms.add((System.nanoTime() - t0) / 1e6);
                }
                return ms;
              }));
    }
    List<Double> all = new ArrayList<>();
    for (Future<List<Double>> run : runs) {
      all.addAll(run.get());
    }
    clients.shutdown();
    return all;
  }

  private static void report(List<Double> ms, double seconds) {
    Collections.sort(ms);
    System.out.printf(
        Locale.ROOT,
        "%nREST latency, one review a request, %d clients x %d requests back to back (L2/H128): p50"
            + " %.1f ms, p99 %.1f ms, %.0f requests/s%n",
        CLIENTS,
        REQUESTS,
        ms.get(ms.size() / 2),
        ms.get((int) Math.ceil(ms.size() * 0.99) - 1),
        ms.size() / seconds);
  }

  private static void awaitAnswer(HttpClient http, URI uri, String text) throws Exception {
    Instant deadline = Instant.now().plus(Duration.ofMinutes(2));
    while (true) {
      try {
        if (send(http, uri, text) == 200) {
          return;
        }
      } catch (java.io.IOException notYet) {
        // the service is still starting
      }
      if (Instant.now().isAfter(deadline)) {
        throw new IllegalStateException("the inference service did not answer within 2 minutes");
      }
      Thread.sleep(500);
    }
  }

  private static int send(HttpClient http, URI uri, String text) throws Exception {
    HttpRequest request =
        HttpRequest.newBuilder(uri)
            .header("Content-Type", "application/json")
            .POST(
                HttpRequest.BodyPublishers.ofString(
                    Json.mapper().writeValueAsString(Map.of("inputs", List.of(text)))))
            .build();
    return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
  }
}
