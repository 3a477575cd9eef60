package dev.kft.registry.persistence;

import static dev.kft.registry.persistence.Sql.instant;

import dev.kft.registry.domain.ModelVersion;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Map;

/** Reads a {@code model_version} row. */
final class VersionRows {

  private VersionRows() {}

  static ModelVersion version(ResultSet r, Map<String, Integer> modelAliases) throws SQLException {
    int version = r.getInt("version");
    Map<String, Integer> mine = new java.util.LinkedHashMap<>();
    modelAliases.forEach(
        (alias, v) -> {
          if (v == version) {
            mine.put(alias, v);
          }
        });
    Object size = r.getObject("size_bytes");
    return new ModelVersion(
        r.getString("name"),
        version,
        r.getString("status"),
        r.getString("status_message"),
        r.getString("job_id"),
        r.getString("source_uri"),
        r.getString("artifact_uri"),
        r.getString("archive_uri"),
        r.getString("sha256"),
        r.getString("archive_sha256"),
        size == null ? null : ((Number) size).longValue(),
        Sql.stringMap(r, "tags"),
        r.getString("method"),
        Sql.tree(r, "parameters"),
        r.getString("dataset_sha256"),
        Sql.doubleMap(r, "eval_metrics"),
        Sql.doubleMap(r, "test_metrics"),
        mine,
        Sql.tree(r, "lineage"),
        instant(r, "created_at"));
  }
}
