package dev.kft.cli;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentSkipListSet;

/**
 * Scrapes services' Prometheus endpoints every second on a daemon thread and remembers every metric
 * name any of them exposed, so that per-job series, which live only while a job runs, are seen too.
 */
final class MetricsScraper implements AutoCloseable {

  private final Set<String> names = new ConcurrentSkipListSet<>();
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private final Thread thread;
  private volatile boolean running = true;

  MetricsScraper(List<URI> endpoints) {
    thread =
        new Thread(
            () -> {
              while (running) {
                endpoints.forEach(this::scrape);
                try {
                  Thread.sleep(1000);
                } catch (InterruptedException e) {
                  return;
                }
              }
            },
            "metrics-scraper");
    thread.setDaemon(true);
    thread.start();
  }

  private void scrape(URI endpoint) {
    try {
      String body =
          http.send(
                  HttpRequest.newBuilder(endpoint).timeout(Duration.ofSeconds(5)).build(),
                  HttpResponse.BodyHandlers.ofString())
              .body();
      body.lines()
          .filter(l -> !l.isBlank() && !l.startsWith("#"))
          .map(l -> l.split("[{ ]", 2)[0])
          .forEach(names::add);
    } catch (Exception e) {
      // a service restarting (the kill test) is scraped again a second later
    }
  }

  /** The names seen so far. */
  Set<String> names() {
    return Set.copyOf(names);
  }

  @Override
  public void close() {
    running = false;
    thread.interrupt();
  }
}
