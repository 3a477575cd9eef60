package dev.kft.registry.rest;

import dev.kft.json.Json;
import dev.kft.registry.domain.ModelVersion;
import dev.kft.registry.domain.TrackedJob;
import dev.kft.registry.persistence.JobEventFeed;
import dev.kft.registry.persistence.JobRepository;
import dev.kft.registry.persistence.ModelRepository;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.event.Observes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseEventSink;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.jboss.logging.Logger;

/**
 * A job's events as server-sent events: everything recorded so far in the order it happened, then
 * each new one as the registry records it, and an {@code end} event with the outcome once the job
 * has ended. From the end of the replay on, events carry the stream's position as their id, so a
 * client that reconnects with {@code Last-Event-ID} gets what it missed and nothing twice.
 */
@Path("/api/jobs/{id}/events")
public class JobEventStream {

  private static final Logger LOG = Logger.getLogger(JobEventStream.class);

  /** Followers served at once; more are asked to come back later (503). */
  static final int MAX_FOLLOWERS = 100;

  private static final Duration POLL = Duration.ofMillis(500);
  private static final Duration KEEP_ALIVE = Duration.ofSeconds(15);
  private static final long LOOK_BACK = 64;

  private final JobEventFeed feed;
  private final JobRepository jobs;
  private final ModelRepository models;
  private final ExecutorService followers = Executors.newCachedThreadPool();
  private final AtomicInteger following = new AtomicInteger();

  public JobEventStream(JobEventFeed feed, JobRepository jobs, ModelRepository models) {
    this.feed = feed;
    this.jobs = jobs;
    this.models = models;
  }

  void stop(@Observes ShutdownEvent event) {
    followers.shutdownNow();
  }

  @GET
  @Produces(MediaType.SERVER_SENT_EVENTS)
  @Operation(
      summary =
          "The job's events: the past in the order it happened, then live; 'end' with the"
              + " outcome closes the stream. Reconnect with Last-Event-ID to resume.")
  public void events(
      @PathParam("id") String id,
      @HeaderParam("Last-Event-ID") String lastEventId,
      @Context SseEventSink sink,
      @Context Sse sse)
      throws Exception {
    if (jobs.summary(id).isEmpty()) {
      throw Problem.notFound("no job '" + id + "'");
    }
    long resumeAfter = position(lastEventId);
    if (following.incrementAndGet() > MAX_FOLLOWERS) {
      following.decrementAndGet();
      throw new Problem(
          Response.Status.SERVICE_UNAVAILABLE,
          MAX_FOLLOWERS + " followers are being served; try again shortly");
    }
    followers.submit(
        () -> {
          try (sink) {
            follow(id, resumeAfter, sink, sse);
          } catch (Exception e) {
            LOG.debugf("follower of job %s gone: %s", id, e);
          } finally {
            following.decrementAndGet();
          }
        });
  }

  private void follow(String id, long resumeAfter, SseEventSink sink, Sse sse) throws Exception {
    Set<Long> sent = new HashSet<>();
    long high = resumeAfter;
    if (resumeAfter < 0) {
      // the past in time order; the stream's position is set once it is all sent, since a
      // position inside it would not cover the events that happened earlier but were recorded later
      List<JobEventFeed.Entry> past = feed.all(id);
      for (JobEventFeed.Entry e : past) {
        high = Math.max(high, e.seq());
      }
      for (int i = 0; i < past.size(); i++) {
        send(sink, sse, past.get(i), i == past.size() - 1 ? high : null);
        sent.add(past.get(i).seq());
      }
    }
    Instant quietSince = Instant.now();
    while (!sink.isClosed()) {
      // a transaction that took a number earlier may commit later: look back a little
      long floor = high < 0 ? -1 : Math.max(resumeAfter, high - LOOK_BACK);
      List<JobEventFeed.Entry> fresh =
          feed.after(id, floor).stream().filter(e -> !sent.contains(e.seq())).toList();
      for (JobEventFeed.Entry e : fresh) {
        high = Math.max(high, e.seq());
        send(sink, sse, e, e.seq());
        sent.add(e.seq());
      }
      if (!fresh.isEmpty()) {
        quietSince = Instant.now();
        continue;
      }
      TrackedJob job = jobs.summary(id).orElseThrow();
      if (job.status().terminal()) {
        sink.send(sse.newEventBuilder().name("end").data(ending(job)).build())
            .toCompletableFuture()
            .get();
        return;
      }
      if (Duration.between(quietSince, Instant.now()).compareTo(KEEP_ALIVE) > 0) {
        // proxies close connections that stay silent
        sink.send(sse.newEventBuilder().comment("waiting").build());
        quietSince = Instant.now();
      }
      Thread.sleep(POLL.toMillis());
    }
  }

  /** Sends one event, with the stream's position as its id when {@code position} is given. */
  private static void send(SseEventSink sink, Sse sse, JobEventFeed.Entry e, Long position)
      throws Exception {
    OutboundSseEvent.Builder event = sse.newEventBuilder();
    if (position != null) {
      event.id(String.valueOf(position));
    }
    sink.send(
            event
                .name(e.type())
                .mediaType(MediaType.APPLICATION_JSON_TYPE)
                .data(Json.mapper().writeValueAsString(e.event()))
                .build())
        .toCompletableFuture()
        .get();
  }

  /** The outcome: status, reason and the registered version, if any. */
  private String ending(TrackedJob job) throws Exception {
    Map<String, Object> end = new LinkedHashMap<>();
    end.put("status", job.status());
    end.put("reason", job.reason());
    ModelVersion version = models.byJob(job.jobId()).orElse(null);
    if (version != null) {
      end.put("modelName", version.name());
      end.put("version", version.version());
    }
    return Json.mapper().writeValueAsString(end);
  }

  private static long position(String lastEventId) {
    if (lastEventId == null || lastEventId.isBlank()) {
      return -1;
    }
    try {
      return Long.parseLong(lastEventId.strip());
    } catch (NumberFormatException e) {
      throw Problem.badRequest(
          "Last-Event-ID: must be an event id this stream sent, got '" + lastEventId + "'");
    }
  }
}
