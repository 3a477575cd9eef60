package dev.kft.registry.rest;

import dev.kft.events.Topics;
import dev.kft.job.JobIds;
import dev.kft.registry.domain.ScoringDeployment;
import dev.kft.registry.messaging.OutboxRelay;
import dev.kft.registry.persistence.ModelRepository;
import dev.kft.registry.persistence.ScoringRepository;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * Scoring deployments: a Kafka topic scored with a registered model by the inference service,
 * following an alias ({@code kft serve}). Declarations and removals are announced on {@code
 * kft.models}.
 */
@Path("/api/scoring")
@Produces(MediaType.APPLICATION_JSON)
public class ScoringResource {

  /**
   * Body of a declaration.
   *
   * @param model {@code NAME@ALIAS}, {@code NAME:VERSION} or {@code NAME} (its newest version)
   * @param textField the input records' field holding the text (default {@code text})
   */
  public record Declaration(String name, String model, String from, String to, String textField) {}

  private static final String TOPIC = "[a-zA-Z0-9._-]{1,249}";

  private final ScoringRepository deployments;
  private final ModelRepository models;
  private final OutboxRelay relay;

  public ScoringResource(ScoringRepository deployments, ModelRepository models, OutboxRelay relay) {
    this.deployments = deployments;
    this.models = models;
    this.relay = relay;
  }

  @GET
  public List<ScoringDeployment> list() throws SQLException {
    return deployments.list();
  }

  @POST
  @Consumes(MediaType.APPLICATION_JSON)
  @Operation(summary = "Declares (or replaces) a scoring deployment (needs the bearer token)")
  public Response declare(Declaration body, @Context SecurityContext caller) throws SQLException {
    ScoringDeployment d = checked(body, ModelResource.actor(caller));
    if (models.model(modelName(d.model())).isEmpty()) {
      throw Problem.notFound("model: no model named '" + modelName(d.model()) + "'");
    }
    deployments.declare(d);
    relay.wake();
    return Response.status(Response.Status.CREATED).entity(d).build();
  }

  @DELETE
  @Path("{name}")
  @Operation(summary = "Removes a scoring deployment (needs the bearer token)")
  public Response remove(@PathParam("name") String name, @Context SecurityContext caller)
      throws SQLException {
    if (!deployments.remove(name, ModelResource.actor(caller))) {
      throw Problem.notFound("no scoring deployment named '" + name + "'");
    }
    relay.wake();
    return Response.noContent().build();
  }

  private static ScoringDeployment checked(Declaration body, String actor) {
    if (body == null) {
      throw Problem.badRequest(
          "the body must be {\"name\", \"model\", \"from\", \"to\", \"textField\"}");
    }
    Optional<String> badName = JobIds.problem(body.name());
    if (badName.isPresent()) {
      throw Problem.badRequest("name: " + JobIds.quoted(body.name()) + " " + badName.get());
    }
    String model = body.model();
    if (model == null || !model.matches("[^@:\\s]+(@[a-z][a-z0-9_-]{0,63}|:[1-9][0-9]*)?")) {
      throw Problem.badRequest(
          "model: must be NAME, NAME@ALIAS or NAME:VERSION, got '" + model + "'");
    }
    for (String[] topic : new String[][] {{"from", body.from()}, {"to", body.to()}}) {
      if (topic[1] == null || !topic[1].matches(TOPIC)) {
        throw Problem.badRequest(
            topic[0] + ": must be a Kafka topic name (letters, digits, '.', '_', '-')");
      }
    }
    if (body.from().equals(body.to())) {
      throw Problem.badRequest("to: must differ from the input topic");
    }
    if (Topics.ALL.contains(body.to())) {
      throw Problem.badRequest("to: " + body.to() + " is one of kft's own topics");
    }
    String field =
        body.textField() == null || body.textField().isBlank() ? "text" : body.textField();
    return new ScoringDeployment(
        body.name(), model, body.from(), body.to(), field, actor, Instant.now());
  }

  private static String modelName(String model) {
    return model.split("[@:]", 2)[0];
  }
}
