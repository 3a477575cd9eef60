package dev.kft.registry.rest;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kft.registry.domain.AliasMove;
import dev.kft.registry.domain.ModelVersion;
import dev.kft.registry.domain.RegisteredModel;
import dev.kft.registry.domain.TestPredictionsFile;
import dev.kft.registry.domain.VersionExport;
import dev.kft.registry.messaging.OutboxRelay;
import dev.kft.registry.persistence.AliasRepository;
import dev.kft.registry.persistence.ModelRepository;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.sql.SQLException;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * The model registry's REST API: registered models, versions, aliases (with their audit history),
 * tags and archive downloads. Alias moves are published on {@code kft.models}.
 */
@Path("/api/models")
@Produces(MediaType.APPLICATION_JSON)
public class ModelResource {

  /** Body of an alias move. */
  public record AliasRequest(Integer version) {}

  /** Body of a tag write. */
  public record TagRequest(String value) {}

  private final ModelRepository models;
  private final AliasRepository aliases;
  private final OutboxRelay relay;

  public ModelResource(ModelRepository models, AliasRepository aliases, OutboxRelay relay) {
    this.models = models;
    this.aliases = aliases;
    this.relay = relay;
  }

  @GET
  @Operation(summary = "Lists registered models, by name substring and tag (key=value)")
  public List<RegisteredModel> list(@QueryParam("name") String name, @QueryParam("tag") String tag)
      throws SQLException {
    if (tag != null && !tag.contains("=")) {
      throw Problem.badRequest("tag: must be key=value, got '" + tag + "'");
    }
    String[] kv = tag == null ? new String[2] : tag.split("=", 2);
    return models.models(name, kv[0], kv[1]);
  }

  @GET
  @Path("{name}")
  public RegisteredModel model(@PathParam("name") String name) throws SQLException {
    return models.model(name).orElseThrow(() -> Problem.notFound("no model named '" + name + "'"));
  }

  @GET
  @Path("{name}/versions")
  public List<ModelVersion> versions(@PathParam("name") String name) throws SQLException {
    model(name);
    return models.versions(name);
  }

  @GET
  @Path("{name}/versions/{version}")
  public ModelVersion version(@PathParam("name") String name, @PathParam("version") String version)
      throws SQLException {
    int v = number(version);
    return models
        .version(name, v)
        .orElseThrow(() -> Problem.notFound("model '" + name + "' has no version " + v));
  }

  @GET
  @Path("{name}/versions/{version}/predictions")
  @Operation(
      summary =
          "The version's per-example predictions on the test split (errors=true: only the"
              + " mistakes, most confident first)")
  public List<JsonNode> predictions(
      @PathParam("name") String name,
      @PathParam("version") String version,
      @QueryParam("errors") boolean errors,
      @QueryParam("limit") @DefaultValue("100") int limit)
      throws SQLException, IOException {
    if (limit < 1 || limit > 10_000) {
      throw Problem.badRequest("limit: must be 1 to 10000, got " + limit);
    }
    ModelVersion v = version(name, version);
    java.nio.file.Path file =
        v.artifactUri() == null
            ? null
            : java.nio.file.Path.of(URI.create(v.artifactUri()))
                .resolve(VersionExport.TEST_PREDICTIONS);
    if (file == null || !Files.isRegularFile(file)) {
      throw Problem.notFound(
          "version " + v.version() + " of '" + name + "' has no test predictions");
    }
    return TestPredictionsFile.read(file, errors, limit);
  }

  @GET
  @Path("{name}/aliases/{alias}")
  public ModelVersion byAlias(@PathParam("name") String name, @PathParam("alias") String alias)
      throws SQLException {
    Integer v = model(name).aliases().get(alias);
    if (v == null) {
      throw Problem.notFound("model '" + name + "' has no alias '" + alias + "'");
    }
    return version(name, String.valueOf(v));
  }

  @GET
  @Path("{name}/alias-history")
  @Operation(summary = "Every alias move of a model: who, when, from which version to which")
  public List<AliasMove> aliasHistory(@PathParam("name") String name) throws SQLException {
    model(name);
    return aliases.history(name);
  }

  @GET
  @Path("{name}/versions/{version}/archive")
  @Produces("application/zip")
  @Operation(summary = "Downloads a READY version as a zip; X-Checksum-SHA256 carries its sha256")
  public Response archive(@PathParam("name") String name, @PathParam("version") String version)
      throws SQLException {
    ModelVersion v = version(name, version);
    if (!"READY".equals(v.status()) || v.archiveUri() == null) {
      throw new Problem(
          Response.Status.CONFLICT, "version " + v.version() + " is " + v.status() + ", not READY");
    }
    java.nio.file.Path file = java.nio.file.Path.of(URI.create(v.archiveUri()));
    if (!Files.isRegularFile(file)) {
      throw Problem.notFound(
          "the archive of version " + v.version() + " is missing from the store");
    }
    return Response.ok(file.toFile(), "application/zip")
        .header("X-Checksum-SHA256", v.archiveSha256())
        .header(
            "Content-Disposition", "attachment; filename=\"" + name + "-" + v.version() + ".zip\"")
        .build();
  }

  @PUT
  @Path("{name}/aliases/{alias}")
  @Operation(summary = "Points an alias at a version (needs the bearer token)")
  public ModelVersion setAlias(
      @PathParam("name") String name,
      @PathParam("alias") String alias,
      AliasRequest body,
      @Context SecurityContext caller)
      throws SQLException {
    if (!alias.matches("[a-z][a-z0-9_-]{0,63}")) {
      throw Problem.badRequest(
          "alias: must be lower-case letters, digits, '_' or '-', starting with a letter");
    }
    if (body == null || body.version() == null) {
      throw Problem.badRequest("version: required in the body, e.g. {\"version\": 3}");
    }
    ModelVersion v = version(name, String.valueOf(body.version()));
    String actor = actor(caller);
    aliases.set(name, alias, v.version(), v.jobId(), actor);
    relay.wake();
    return version(name, String.valueOf(v.version()));
  }

  @DELETE
  @Path("{name}/aliases/{alias}")
  @Operation(summary = "Removes an alias (needs the bearer token)")
  public Response deleteAlias(
      @PathParam("name") String name,
      @PathParam("alias") String alias,
      @Context SecurityContext caller)
      throws SQLException {
    ModelVersion v = byAlias(name, alias);
    String actor = actor(caller);
    aliases.delete(name, alias, v.jobId(), actor);
    relay.wake();
    return Response.noContent().build();
  }

  @PUT
  @Path("{name}/versions/{version}/tags/{key}")
  @Operation(summary = "Sets a tag of a version (needs the bearer token)")
  public ModelVersion setTag(
      @PathParam("name") String name,
      @PathParam("version") String version,
      @PathParam("key") String key,
      TagRequest body)
      throws SQLException {
    if (body == null || body.value() == null) {
      throw Problem.badRequest("value: required in the body, e.g. {\"value\": \"yes\"}");
    }
    ModelVersion v = version(name, version);
    models.tagVersion(name, v.version(), key, body.value());
    return version(name, version);
  }

  @DELETE
  @Path("{name}/versions/{version}/tags/{key}")
  @Operation(summary = "Removes a tag of a version (needs the bearer token)")
  public ModelVersion deleteTag(
      @PathParam("name") String name,
      @PathParam("version") String version,
      @PathParam("key") String key)
      throws SQLException {
    ModelVersion v = version(name, version);
    models.tagVersion(name, v.version(), key, null);
    return version(name, version);
  }

  private static int number(String version) {
    try {
      int v = Integer.parseInt(version);
      if (v >= 1) {
        return v;
      }
    } catch (NumberFormatException e) {
      // answered below
    }
    throw Problem.badRequest("version: must be a whole number >= 1, got '" + version + "'");
  }

  /** Who made a change: whom the bearer token names (see {@link BearerAuth}). */
  static String actor(SecurityContext caller) {
    return caller.getUserPrincipal() == null
        ? BearerAuth.ANONYMOUS
        : caller.getUserPrincipal().getName();
  }
}
