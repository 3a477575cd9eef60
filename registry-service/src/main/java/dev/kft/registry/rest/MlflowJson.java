package dev.kft.registry.rest;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.kft.registry.domain.ModelVersion;
import dev.kft.registry.domain.RegisteredModel;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The registry's models and versions in the JSON of MLflow's model registry API: MLflow's field
 * names, versions as strings, timestamps in milliseconds, a job as the version's run.
 */
final class MlflowJson {

  /** The stage every kft version is in: kft moves aliases, not stages, as MLflow now advises. */
  static final String NO_STAGE = "None";

  private MlflowJson() {}

  /** A tag of a model or version. */
  record Tag(String key, String value) {}

  /** An alias and the version it points at. */
  record Alias(String alias, String version) {}

  /** MLflow's {@code RegisteredModel}. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  record Model(
      String name,
      @JsonProperty("creation_timestamp") long creationTimestamp,
      @JsonProperty("last_updated_timestamp") long lastUpdatedTimestamp,
      String description,
      @JsonProperty("latest_versions") List<Version> latestVersions,
      List<Tag> tags,
      List<Alias> aliases) {}

  /** MLflow's {@code ModelVersion}. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  record Version(
      String name,
      String version,
      @JsonProperty("creation_timestamp") long creationTimestamp,
      @JsonProperty("last_updated_timestamp") long lastUpdatedTimestamp,
      @JsonProperty("current_stage") String currentStage,
      String source,
      @JsonProperty("run_id") String runId,
      String status,
      @JsonProperty("status_message") String statusMessage,
      List<Tag> tags,
      List<String> aliases) {}

  static Model model(RegisteredModel m, Optional<ModelVersion> latest) {
    return new Model(
        m.name(),
        millis(m.createdAt()),
        millis(m.updatedAt()),
        m.description(),
        latest.map(v -> List.of(version(v))).orElse(List.of()),
        tags(m.tags()),
        new TreeMap<>(m.aliases())
            .entrySet().stream()
                .map(a -> new Alias(a.getKey(), String.valueOf(a.getValue())))
                .toList());
  }

  static Version version(ModelVersion v) {
    long created = millis(v.createdAt());
    return new Version(
        v.name(),
        String.valueOf(v.version()),
        created,
        created,
        NO_STAGE,
        v.sourceUri(),
        v.jobId(),
        v.status(),
        v.statusMessage(),
        tags(v.tags()),
        List.copyOf(new TreeSet<>(v.aliases().keySet())));
  }

  private static List<Tag> tags(Map<String, String> tags) {
    return new TreeMap<>(tags)
        .entrySet().stream().map(t -> new Tag(t.getKey(), t.getValue())).toList();
  }

  private static long millis(Instant at) {
    return at == null ? 0 : at.toEpochMilli();
  }
}
