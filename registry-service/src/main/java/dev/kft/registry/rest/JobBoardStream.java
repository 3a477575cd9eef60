package dev.kft.registry.rest;

import dev.kft.json.Json;
import dev.kft.registry.persistence.JobBoard;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.event.Observes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseEventSink;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.logging.Logger;

/**
 * Every job's movement as server-sent events, for the console's job list: from the moment of
 * connecting, a {@code job} event with the job as listings show it (status, progress, ETA) each
 * time one of its events is recorded or its status changes. One stream serves a whole list, so a
 * browser's few connections per server are not spent one per job.
 */
@Path("/api/console/jobs/live")
@Tag(name = "Console")
public class JobBoardStream {

  private static final Logger LOG = Logger.getLogger(JobBoardStream.class);

  private static final Duration POLL = Duration.ofSeconds(1);
  private static final Duration KEEP_ALIVE = Duration.ofSeconds(15);
  private static final long LOOK_BACK = 64;
  // status changes are found by the time they were made: allow for clocks and slow commits
  private static final Duration STATUS_LOOK_BACK = Duration.ofSeconds(10);

  private final JobBoard board;
  private final ExecutorService followers = Executors.newCachedThreadPool();
  private final AtomicInteger following = new AtomicInteger();

  public JobBoardStream(JobBoard board) {
    this.board = board;
  }

  void stop(@Observes ShutdownEvent event) {
    followers.shutdownNow();
  }

  @GET
  @Produces(MediaType.SERVER_SENT_EVENTS)
  @Operation(summary = "Each job as it moves, from now on: a 'job' event per change")
  public void live(@Context SseEventSink sink, @Context Sse sse) throws Exception {
    long start = board.position();
    if (following.incrementAndGet() > JobEventStream.MAX_FOLLOWERS) {
      following.decrementAndGet();
      throw new Problem(
          Response.Status.SERVICE_UNAVAILABLE,
          JobEventStream.MAX_FOLLOWERS + " followers are being served; try again shortly");
    }
    followers.submit(
        () -> {
          try (sink) {
            follow(start, sink, sse);
          } catch (Exception e) {
            LOG.debugf("follower of the job list gone: %s", e);
          } finally {
            following.decrementAndGet();
          }
        });
  }

  private void follow(long start, SseEventSink sink, Sse sse) throws Exception {
    long high = start;
    Set<Long> seen = new HashSet<>();
    Map<String, Instant> shown = new HashMap<>();
    Instant quietSince = Instant.now();
    sink.send(sse.newEventBuilder().comment("following").build()).toCompletableFuture().get();
    while (!sink.isClosed()) {
      // a transaction that took a position earlier may commit later: look back a little
      long floor = Math.max(start, high - LOOK_BACK);
      Set<String> moved = new LinkedHashSet<>();
      for (JobBoard.Recorded r : board.after(floor)) {
        if (seen.add(r.position())) {
          moved.add(r.jobId());
          high = Math.max(high, r.position());
        }
      }
      long keep = Math.max(start, high - LOOK_BACK);
      seen.removeIf(p -> p <= keep);
      Instant now = Instant.now();
      Set<String> candidates = new LinkedHashSet<>(moved);
      candidates.addAll(board.changedAfter(now.minus(STATUS_LOOK_BACK)));
      for (JobBoard.Row row : board.rows(candidates)) {
        if (moved.contains(row.jobId()) || !row.updatedAt().equals(shown.get(row.jobId()))) {
          send(sink, sse, row);
          shown.put(row.jobId(), row.updatedAt());
          quietSince = now;
        }
      }
      shown.values().removeIf(at -> at.isBefore(now.minus(STATUS_LOOK_BACK)));
      if (Duration.between(quietSince, now).compareTo(KEEP_ALIVE) > 0) {
        // proxies close connections that stay silent
        sink.send(sse.newEventBuilder().comment("waiting").build());
        quietSince = now;
      }
      Thread.sleep(POLL.toMillis());
    }
  }

  private static void send(SseEventSink sink, Sse sse, JobBoard.Row row) throws Exception {
    sink.send(
            sse.newEventBuilder()
                .name("job")
                .mediaType(MediaType.APPLICATION_JSON_TYPE)
                .data(Json.mapper().writeValueAsString(row))
                .build())
        .toCompletableFuture()
        .get();
  }
}
