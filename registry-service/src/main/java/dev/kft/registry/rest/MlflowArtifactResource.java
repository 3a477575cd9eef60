package dev.kft.registry.rest;

import dev.kft.registry.domain.ModelVersion;
import dev.kft.registry.persistence.ModelRepository;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * A version's files through MLflow's artifact proxy API ({@code /api/2.0/mlflow-artifacts}), where
 * MLflow's clients fetch what an {@code mlflow-artifacts:/models/<name>/<version>} download URI
 * names. Read-only: kft versions are written by registration alone.
 */
@Path("/api/2.0/mlflow-artifacts/artifacts")
@Tag(name = "MLflow-compatible model registry")
public class MlflowArtifactResource {

  private static final String ROOT = "models";

  private final ModelRepository models;

  public MlflowArtifactResource(ModelRepository models) {
    this.models = models;
  }

  /** The download URI of a version's files, as {@code get-download-uri} answers it. */
  static String uri(ModelVersion v) {
    return "mlflow-artifacts:/" + ROOT + "/" + v.name() + "/" + v.version();
  }

  @GET
  @Produces(MediaType.APPLICATION_JSON)
  @Operation(summary = "MLflow ListArtifacts: the files and folders directly under a path")
  public Map<String, Object> list(@QueryParam("path") String path)
      throws SQLException, IOException {
    java.nio.file.Path dir = resolve(path == null ? "" : path);
    if (!Files.isDirectory(dir)) {
      throw MlflowError.invalid("path: '" + path + "' is not a folder");
    }
    List<Map<String, Object>> files = new ArrayList<>();
    try (Stream<java.nio.file.Path> children = Files.list(dir).sorted()) {
      for (java.nio.file.Path child : (Iterable<java.nio.file.Path>) children::iterator) {
        Map<String, Object> file = new LinkedHashMap<>();
        file.put("path", child.getFileName().toString());
        file.put("is_dir", Files.isDirectory(child));
        if (Files.isRegularFile(child)) {
          file.put("file_size", Files.size(child));
        }
        files.add(file);
      }
    }
    return Map.of("files", files);
  }

  @GET
  @Path("{path: .+}")
  @Produces(MediaType.APPLICATION_OCTET_STREAM)
  @Operation(summary = "MLflow DownloadArtifact: one file of a version")
  public Response download(@PathParam("path") String path) throws SQLException {
    java.nio.file.Path file = resolve(path);
    if (!Files.isRegularFile(file)) {
      throw MlflowError.notFound("artifact '" + path + "' not found");
    }
    return Response.ok(file.toFile(), MediaType.APPLICATION_OCTET_STREAM).build();
  }

  /** The file {@code models/<name>/<version>/<rest>} names, confined to the version's folder. */
  private java.nio.file.Path resolve(String path) throws SQLException {
    String[] parts = path.replaceAll("^/+", "").split("/", 4);
    if (parts.length < 3 || !ROOT.equals(parts[0])) {
      throw MlflowError.invalid(
          "path: expected models/<name>/<version>[/<file>], got '" + path + "'");
    }
    ModelVersion v;
    try {
      v = models.version(parts[1], Integer.parseInt(parts[2])).orElse(null);
    } catch (NumberFormatException e) {
      v = null;
    }
    if (v == null || v.artifactUri() == null) {
      throw MlflowError.notFound(
          "model version ('" + parts[1] + "', " + parts[2] + ") has no files");
    }
    java.nio.file.Path root = java.nio.file.Path.of(URI.create(v.artifactUri())).normalize();
    java.nio.file.Path target = parts.length == 4 ? root.resolve(parts[3]).normalize() : root;
    if (!target.startsWith(root)) {
      throw MlflowError.invalid("path: '" + path + "' leaves the version's folder");
    }
    return target;
  }
}
