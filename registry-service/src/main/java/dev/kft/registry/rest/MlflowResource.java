package dev.kft.registry.rest;

import dev.kft.registry.domain.ModelVersion;
import dev.kft.registry.domain.RegisteredModel;
import dev.kft.registry.domain.SearchFilter;
import dev.kft.registry.messaging.OutboxRelay;
import dev.kft.registry.persistence.AliasRepository;
import dev.kft.registry.persistence.ModelRepository;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.SecurityContext;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * The model registry in MLflow's REST dialect ({@code /api/2.0/mlflow/...}), so that MLflow's
 * clients can list and read models and versions, move aliases and find a version's files (served by
 * {@link MlflowArtifactResource}). Alias moves are published on {@code kft.models}, as through
 * kft's own API. Runs and stages are not offered: a version's run is its kft job.
 */
@Path("/api/2.0/mlflow")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "MLflow-compatible model registry")
public class MlflowResource {

  /** Requests that MLflow sends as POST but that only read; the bearer check treats them so. */
  static final Set<String> READS_BY_POST =
      Set.of("/api/2.0/mlflow/registered-models/get-latest-versions");

  /** Body of MLflow's alias and tag calls; fields as MLflow names them. */
  public record Body(String name, String alias, String version, String key, String value) {}

  /** Body of {@code get-latest-versions}. */
  public record LatestBody(String name, List<String> stages) {}

  private final ModelRepository models;
  private final AliasRepository aliases;
  private final OutboxRelay relay;

  public MlflowResource(ModelRepository models, AliasRepository aliases, OutboxRelay relay) {
    this.models = models;
    this.aliases = aliases;
    this.relay = relay;
  }

  @GET
  @Path("registered-models/search")
  @Operation(summary = "MLflow SearchRegisteredModels: filter on name and tags, paged")
  public Map<String, Object> searchModels(
      @QueryParam("filter") String filter,
      @QueryParam("max_results") Integer maxResults,
      @QueryParam("order_by") List<String> orderBy,
      @QueryParam("page_token") String pageToken)
      throws SQLException {
    SearchFilter where = filter(filter);
    List<RegisteredModel> found = new ArrayList<>();
    for (RegisteredModel m : models.models(null, null, null)) {
      if (where.test(a -> "name".equals(a) ? m.name() : null, m.tags())) {
        found.add(m);
      }
    }
    found.sort(
        MlflowPage.order(orderBy, Map.of("name", Comparator.comparing(RegisteredModel::name))));
    MlflowPage<RegisteredModel> page = MlflowPage.of(found, maxResults, 100, 1000, pageToken);
    List<MlflowJson.Model> out = new ArrayList<>();
    for (RegisteredModel m : page.items()) {
      out.add(MlflowJson.model(m, latest(m)));
    }
    return page.answer("registered_models", out);
  }

  @GET
  @Path("registered-models/get")
  public Map<String, Object> getModel(@QueryParam("name") String name) throws SQLException {
    RegisteredModel m = model(name);
    return Map.of("registered_model", MlflowJson.model(m, latest(m)));
  }

  @GET
  @Path("registered-models/get-latest-versions")
  @Operation(
      summary = "MLflow GetLatestVersions: the newest version (every kft version is in stage None)")
  public Map<String, Object> latestVersions(
      @QueryParam("name") String name, @QueryParam("stages") List<String> stages)
      throws SQLException {
    RegisteredModel m = model(name);
    boolean anyStage = stages == null || stages.isEmpty() || stages.contains(MlflowJson.NO_STAGE);
    List<MlflowJson.Version> out =
        anyStage ? latest(m).map(v -> List.of(MlflowJson.version(v))).orElse(List.of()) : List.of();
    return Map.of("model_versions", out);
  }

  @POST
  @Path("registered-models/get-latest-versions")
  public Map<String, Object> latestVersions(LatestBody body) throws SQLException {
    return latestVersions(body == null ? null : body.name(), body == null ? null : body.stages());
  }

  @GET
  @Path("model-versions/get")
  public Map<String, Object> getVersion(
      @QueryParam("name") String name, @QueryParam("version") String version) throws SQLException {
    return Map.of("model_version", MlflowJson.version(version(name, version)));
  }

  @GET
  @Path("model-versions/get-download-uri")
  @Operation(summary = "MLflow GetModelVersionDownloadUri: an mlflow-artifacts URI of its files")
  public Map<String, Object> downloadUri(
      @QueryParam("name") String name, @QueryParam("version") String version) throws SQLException {
    ModelVersion v = version(name, version);
    if (v.artifactUri() == null) {
      throw MlflowError.notFound(
          "version " + v.version() + " of '" + name + "' has no files yet (" + v.status() + ")");
    }
    return Map.of("artifact_uri", MlflowArtifactResource.uri(v));
  }

  @GET
  @Path("model-versions/search")
  @Operation(summary = "MLflow SearchModelVersions: filter on name, run_id (the job) and tags")
  public Map<String, Object> searchVersions(
      @QueryParam("filter") String filter,
      @QueryParam("max_results") Integer maxResults,
      @QueryParam("order_by") List<String> orderBy,
      @QueryParam("page_token") String pageToken)
      throws SQLException {
    SearchFilter where = filter(filter);
    List<ModelVersion> found = new ArrayList<>();
    for (ModelVersion v : models.allVersions()) {
      if (where.test(a -> "name".equals(a) ? v.name() : v.jobId(), v.tags())) {
        found.add(v);
      }
    }
    Comparator<ModelVersion> byName = Comparator.comparing(ModelVersion::name);
    found.sort(
        MlflowPage.order(
            orderBy,
            Map.of(
                "name", byName,
                "version_number", Comparator.comparingInt(ModelVersion::version),
                "creation_timestamp", Comparator.comparing(ModelVersion::createdAt))));
    MlflowPage<ModelVersion> page = MlflowPage.of(found, maxResults, 10_000, 200_000, pageToken);
    return page.answer("model_versions", page.items().stream().map(MlflowJson::version).toList());
  }

  @GET
  @Path("registered-models/alias")
  public Map<String, Object> byAlias(
      @QueryParam("name") String name, @QueryParam("alias") String alias) throws SQLException {
    Integer v = model(name).aliases().get(required("alias", alias));
    if (v == null) {
      throw MlflowError.notFound("registered model '" + name + "' has no alias '" + alias + "'");
    }
    return getVersion(name, String.valueOf(v));
  }

  @POST
  @Path("registered-models/alias")
  @Operation(summary = "MLflow SetRegisteredModelAlias (needs the write token)")
  public Map<String, Object> setAlias(Body body, @Context SecurityContext caller)
      throws SQLException {
    Body b = body == null ? new Body(null, null, null, null, null) : body;
    String alias = required("alias", b.alias());
    if (!alias.matches("[a-z][a-z0-9_-]{0,63}")) {
      throw MlflowError.invalid(
          "alias: must be lower-case letters, digits, '_' or '-', starting with a letter");
    }
    ModelVersion v = version(b.name(), b.version());
    aliases.set(v.name(), alias, v.version(), v.jobId(), ModelResource.actor(caller));
    relay.wake();
    return Map.of();
  }

  @DELETE
  @Path("registered-models/alias")
  @Operation(summary = "MLflow DeleteRegisteredModelAlias (needs the write token)")
  public Map<String, Object> deleteAlias(
      @QueryParam("name") String name,
      @QueryParam("alias") String alias,
      Body body,
      @Context SecurityContext caller)
      throws SQLException {
    String n = name != null ? name : body == null ? null : body.name();
    String a = alias != null ? alias : body == null ? null : body.alias();
    Integer v = model(n).aliases().get(required("alias", a));
    if (v == null) {
      throw MlflowError.notFound("registered model '" + n + "' has no alias '" + a + "'");
    }
    ModelVersion pointed = version(n, String.valueOf(v));
    aliases.delete(n, a, pointed.jobId(), ModelResource.actor(caller));
    relay.wake();
    return Map.of();
  }

  private RegisteredModel model(String name) throws SQLException {
    return models
        .model(required("name", name))
        .orElseThrow(() -> MlflowError.notFound("registered model '" + name + "' not found"));
  }

  private ModelVersion version(String name, String version) throws SQLException {
    model(name);
    int number;
    try {
      number = Integer.parseInt(required("version", version));
    } catch (NumberFormatException e) {
      throw MlflowError.invalid("version: must be a whole number, got '" + version + "'");
    }
    return models
        .version(name, number)
        .orElseThrow(
            () ->
                MlflowError.notFound("model version ('" + name + "', " + version + ") not found"));
  }

  private java.util.Optional<ModelVersion> latest(RegisteredModel m) throws SQLException {
    return m.latestVersion() == null
        ? java.util.Optional.empty()
        : models.version(m.name(), m.latestVersion());
  }

  private static String required(String field, String value) {
    if (value == null || value.isBlank()) {
      throw MlflowError.invalid(field + ": required");
    }
    return value;
  }

  private static SearchFilter filter(String filter) {
    try {
      return SearchFilter.parse(filter);
    } catch (IllegalArgumentException e) {
      throw MlflowError.invalid(e.getMessage());
    }
  }
}
