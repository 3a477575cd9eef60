package dev.kft.registry.rest;

import dev.kft.events.Event;
import dev.kft.events.StopTraining;
import dev.kft.events.TrainingFinished.Reason;
import dev.kft.registry.domain.JobStatus;
import dev.kft.registry.domain.TrackedJob;
import dev.kft.registry.messaging.EventPublisher;
import dev.kft.registry.persistence.JobRepository;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** Job tracking over REST: list jobs, one job's timeline and metrics, cancel a running job. */
@Path("/api/jobs")
@Produces(MediaType.APPLICATION_JSON)
public class JobResource {

  private final JobRepository jobs;
  private final EventPublisher publisher;

  public JobResource(JobRepository jobs, EventPublisher publisher) {
    this.jobs = jobs;
    this.publisher = publisher;
  }

  @GET
  @Operation(summary = "Lists jobs, newest first, optionally by status")
  public List<TrackedJob> list(@QueryParam("status") String status) throws SQLException {
    return jobs.list(status == null ? null : status(status));
  }

  @GET
  @Path("{id}")
  @Operation(summary = "A job with its timeline and metric history")
  public TrackedJob job(@PathParam("id") String id) throws SQLException {
    return jobs.get(id).orElseThrow(() -> Problem.notFound("no job '" + id + "'"));
  }

  @POST
  @Path("{id}/cancel")
  @Operation(summary = "Cancels a job: publishes StopTraining (CANCELLED) on kft.control")
  public Response cancel(@PathParam("id") String id, @Context SecurityContext caller)
      throws SQLException {
    TrackedJob job = job(id);
    if (job.status().terminal()) {
      throw new Problem(Response.Status.CONFLICT, "job " + id + " already ended: " + job.status());
    }
    String actor = ModelResource.actor(caller);
    publisher.control(
        new StopTraining(
            Event.newId(), id, Instant.now(), Reason.CANCELLED, "cancelled by " + actor, actor));
    return Response.accepted(job).build();
  }

  private static JobStatus status(String name) {
    try {
      return JobStatus.valueOf(name.toUpperCase(java.util.Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw Problem.badRequest(
          "status: must be one of " + Arrays.toString(JobStatus.values()) + ", got '" + name + "'");
    }
  }
}
