package dev.kft.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kft.events.Event;
import dev.kft.json.Json;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Follows one job through the registry's event stream ({@code GET /api/jobs/{id}/events}) rather
 * than Kafka, for a stack whose Kafka is out of reach: the same lines as {@link JobWatch}, and
 * after a dropped connection it picks up where it was ({@code Last-Event-ID}).
 */
final class StreamWatch {

  /** How long a job unknown to the registry is waited for before the watch gives up on it. */
  private static final Duration UNTRACKED = Duration.ofSeconds(30);

  private final Settings settings;
  private final String jobId;
  private final Duration timeout;
  private final WatchDisplay display = new WatchDisplay();
  private String lastEventId;

  StreamWatch(Settings settings, String jobId, Duration timeout) {
    this.settings = settings;
    this.jobId = jobId;
    this.timeout = timeout;
  }

  /** Prints the job's story until it ends; returns an exit code, as {@link JobWatch#follow}. */
  int follow() throws Exception {
    Instant start = Instant.now();
    Instant deadline = start.plus(timeout);
    ScheduledExecutorService clock = Executors.newSingleThreadScheduledExecutor();
    try {
      while (Instant.now().isBefore(deadline)) {
        try (InputStream stream = ApiClient.registry(settings).events(jobId, lastEventId)) {
          // the stream blocks while the job is quiet: close it at the deadline
          clock.schedule(
              () -> close(stream),
              Duration.between(Instant.now(), deadline).toMillis(),
              TimeUnit.MILLISECONDS);
          Integer end = read(stream);
          if (end != null) {
            return end;
          }
        } catch (ApiClient.Failure f) {
          // a job submitted a moment ago may not be tracked yet: the registry reads kft.jobs too
          if (f.status != 404 || Instant.now().isAfter(start.plus(UNTRACKED))) {
            throw f;
          }
          Thread.sleep(1_000);
        } catch (IOException e) {
          // the connection dropped: come back after a pause, from the last event seen
          Thread.sleep(2_000);
        }
      }
    } finally {
      clock.shutdownNow();
    }
    display.line("gave up watching after " + timeout);
    return JobWatch.TIMED_OUT;
  }

  /** Shows the stream's events; returns the exit code once it ends, or null when it broke off. */
  private Integer read(InputStream stream) throws IOException {
    BufferedReader lines =
        new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8));
    String name = null;
    StringBuilder data = new StringBuilder();
    for (String line = lines.readLine(); line != null; line = lines.readLine()) {
      if (line.startsWith("id:")) {
        lastEventId = line.substring(3).strip();
      } else if (line.startsWith("event:")) {
        name = line.substring(6).strip();
      } else if (line.startsWith("data:")) {
        data.append(line.substring(5).strip());
      } else if (line.isEmpty() && name != null) {
        Integer end =
            "end".equals(name) ? ended(Json.mapper().readTree(data.toString())) : shown(data);
        if (end != null) {
          return end;
        }
        name = null;
        data.setLength(0);
      }
    }
    return null;
  }

  private Integer shown(CharSequence data) {
    Event e;
    try {
      e = Json.mapper().readValue(data.toString(), Event.class);
    } catch (IOException unknown) {
      // an event type this command does not know yet
      return null;
    }
    Integer end = display.show(e);
    // only 'end' knows whether the registry registered the candidate
    return end != null && end != JobWatch.REGISTERED ? end : null;
  }

  /** The outcome the stream's {@code end} event reports, as an exit code. */
  private Integer ended(JsonNode end) {
    String status = end.path("status").asText();
    if (end.has("version")) {
      display.line(
          "registered " + end.path("modelName").asText() + " v" + end.path("version").asInt());
      return JobWatch.REGISTERED;
    }
    display.line(
        "job "
            + status
            + (end.path("reason").isTextual() ? ": " + end.path("reason").asText() : ""));
    return status.equals("NOT_APPROVED") ? JobWatch.NOT_APPROVED : JobWatch.FAILED;
  }

  private static void close(InputStream stream) {
    try {
      stream.close();
    } catch (IOException e) {
      // closing is all that is wanted
    }
  }
}
