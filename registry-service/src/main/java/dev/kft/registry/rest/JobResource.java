package dev.kft.registry.rest;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kft.events.Event;
import dev.kft.events.StopTraining;
import dev.kft.events.SubmitJob;
import dev.kft.events.TrainingFinished.Reason;
import dev.kft.job.JobIds;
import dev.kft.job.JobSpecs;
import dev.kft.job.SpecSyntaxException;
import dev.kft.job.ValidatedSpec;
import dev.kft.registry.domain.JobStatus;
import dev.kft.registry.domain.TrackedJob;
import dev.kft.registry.messaging.EventPublisher;
import dev.kft.registry.persistence.JobRepository;
import jakarta.ws.rs.Consumes;
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
import java.net.URI;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.jboss.logging.Logger;

/**
 * Jobs over REST: submit one (validated as {@code kft submit} validates it, then published as
 * {@code SubmitJob} on {@code kft.jobs}), list jobs, one job's timeline and metrics, cancel a
 * running job ({@code StopTraining} on {@code kft.control}). A job's live events are {@link
 * JobEventStream}.
 */
@Path("/api/jobs")
@Produces(MediaType.APPLICATION_JSON)
public class JobResource {

  private static final Logger LOG = Logger.getLogger(JobResource.class);

  private final JobRepository jobs;
  private final EventPublisher publisher;

  public JobResource(JobRepository jobs, EventPublisher publisher) {
    this.jobs = jobs;
    this.publisher = publisher;
  }

  /** The answer to an accepted submission. */
  public record Submitted(String jobId, List<dev.kft.job.Problem> warnings) {}

  /** A spec refused: problem details with each problem at its path. */
  public record Refused(
      String type,
      String title,
      int status,
      String detail,
      String instance,
      List<dev.kft.job.Problem> problems) {}

  @POST
  @Consumes({
    MediaType.APPLICATION_JSON,
    "application/yaml",
    "application/x-yaml",
    "text/yaml",
    MediaType.TEXT_PLAIN
  })
  @Operation(
      summary =
          "Submits a job spec (YAML or JSON; needs the write token): 201 with its id and Location,"
              + " or 422 with every problem at its path")
  public Response submit(
      String spec, @QueryParam("job_id") String jobId, @Context SecurityContext caller)
      throws SQLException {
    String id = jobId != null ? jobId : UUID.randomUUID().toString();
    JobIds.problem(id)
        .ifPresent(
            p -> {
              throw Problem.badRequest("job_id: " + p);
            });
    if (jobs.summary(id).isPresent()) {
      throw new Problem(Response.Status.CONFLICT, "job_id: a job '" + id + "' exists already");
    }
    JsonNode tree;
    try {
      tree = JobSpecs.parse(spec == null ? "" : spec);
    } catch (SpecSyntaxException e) {
      return refused(List.of(new dev.kft.job.Problem("", e.getMessage())));
    }
    ValidatedSpec checked = JobSpecs.validate(tree);
    if (!checked.valid()) {
      return refused(checked.problems());
    }
    SubmitJob submit =
        new SubmitJob(Event.newId(), id, Instant.now(), tree, ModelResource.actor(caller));
    // published first: a job is tracked only once the pipeline has it
    publisher.submit(submit);
    try {
      jobs.submitted(id, submit.occurredAt());
    } catch (SQLException e) {
      // the job is in the pipeline: answering 500 would invite a second submission; the
      // registry tracks it anyway once it reads the SubmitJob back
      LOG.warnf("job %s submitted but not yet tracked: %s", id, e.getMessage());
    }
    return Response.created(URI.create("/api/jobs/" + id))
        .entity(new Submitted(id, checked.warnings()))
        .build();
  }

  private static Response refused(List<dev.kft.job.Problem> problems) {
    return Response.status(422)
        .type(Problem.MEDIA_TYPE)
        .entity(
            new Refused(
                "about:blank",
                "Unprocessable Content",
                422,
                "the job spec has " + problems.size() + " problem(s); each is named at its path",
                "/api/jobs",
                problems))
        .build();
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

  static JobStatus status(String name) {
    try {
      return JobStatus.valueOf(name.toUpperCase(java.util.Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw Problem.badRequest(
          "status: must be one of " + Arrays.toString(JobStatus.values()) + ", got '" + name + "'");
    }
  }
}
