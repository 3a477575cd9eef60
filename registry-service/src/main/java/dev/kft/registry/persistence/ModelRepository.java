package dev.kft.registry.persistence;

import static dev.kft.registry.persistence.Sql.bind;
import static dev.kft.registry.persistence.Sql.instant;
import static dev.kft.registry.persistence.Sql.json;

import dev.kft.events.Event;
import dev.kft.events.ModelVersionRegistered;
import dev.kft.events.ParameterCount;
import dev.kft.events.Topics;
import dev.kft.job.MethodType;
import dev.kft.registry.domain.Lineage;
import dev.kft.registry.domain.ModelVersion;
import dev.kft.registry.domain.RegisteredModel;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;

/** Registered models and their versions in PostgreSQL (aliases: {@link AliasRepository}). */
@ApplicationScoped
public class ModelRepository {

  /** What a new version is registered with. */
  public record NewVersion(
      String name,
      String description,
      Map<String, String> tags,
      String jobId,
      String sourceUri,
      MethodType method,
      ParameterCount parameters,
      String datasetSha256,
      Map<String, Double> evalMetrics,
      Map<String, Double> testMetrics,
      Lineage lineage) {}

  private static final String VERSION_COLUMNS =
      "v.name, v.version, v.status, v.status_message, v.job_id, v.source_uri, v.artifact_uri,"
          + " v.archive_uri, v.sha256, v.archive_sha256, v.size_bytes, v.tags, v.method,"
          + " v.parameters, v.dataset_sha256, v.eval_metrics, v.test_metrics, v.lineage,"
          + " v.created_at";

  private final DataSource db;

  public ModelRepository(DataSource db) {
    this.db = db;
  }

  /**
   * Creates the model when new (or merges the job's tags into it) and its next version as {@code
   * PENDING_REGISTRATION}, in one transaction that locks the model's row, so concurrent candidates
   * get distinct numbers; a job that already has a version gets that one back.
   */
  public ModelVersion register(NewVersion v) throws SQLException {
    try (Connection connection = db.getConnection()) {
      connection.setAutoCommit(false);
      try {
        Instant now = Instant.now();
        update(
            connection,
            "insert into registered_model (name, description, tags, created_at, updated_at)"
                + " values (?, ?, ?::jsonb, ?, ?) on conflict (name) do update set updated_at ="
                + " excluded.updated_at, tags = registered_model.tags || excluded.tags,"
                + " description = coalesce(excluded.description, registered_model.description)",
            v.name(),
            v.description(),
            json(v.tags()),
            now,
            now);
        lockModel(connection, v.name());
        Optional<ModelVersion> existing = byJob(connection, v.jobId());
        if (existing.isPresent()) {
          connection.commit();
          return existing.get();
        }
        int next = nextVersion(connection, v.name());
        update(
            connection,
            "insert into model_version (name, version, status, job_id, source_uri, tags, method,"
                + " parameters, dataset_sha256, eval_metrics, test_metrics, lineage, created_at)"
                + " values (?, ?, 'PENDING_REGISTRATION', ?, ?, ?::jsonb, ?, ?::jsonb, ?, ?::jsonb,"
                + " ?::jsonb, ?::jsonb, ?)",
            v.name(),
            next,
            v.jobId(),
            v.sourceUri(),
            json(v.tags()),
            v.method().id(),
            json(v.parameters()),
            v.datasetSha256(),
            json(v.evalMetrics()),
            json(v.testMetrics()),
            json(v.lineage()),
            now);
        connection.commit();
        return byJob(connection, v.jobId()).orElseThrow();
      } catch (SQLException | RuntimeException e) {
        connection.rollback();
        throw e;
      }
    }
  }

  /** What a version's export produced, and the aliases its job asks for. */
  public record Ready(
      String name,
      int version,
      String jobId,
      String artifactUri,
      String archiveUri,
      String sha256,
      long sizeBytes,
      String archiveSha256,
      List<String> aliases) {}

  /**
   * Marks a pending version {@code READY} and points its job's aliases at it, announcing both
   * through the {@link Outbox}, in one transaction; a version no longer pending is left alone.
   *
   * @return whether the version was pending
   */
  public boolean ready(Ready r) throws SQLException {
    try (Connection connection = db.getConnection()) {
      connection.setAutoCommit(false);
      try {
        int updated =
            update(
                connection,
                "update model_version set status = 'READY', status_message = null, artifact_uri"
                    + " = ?, archive_uri = ?, sha256 = ?, size_bytes = ?, archive_sha256 = ? where"
                    + " name = ? and version = ? and status = 'PENDING_REGISTRATION'",
                r.artifactUri(),
                r.archiveUri(),
                r.sha256(),
                r.sizeBytes(),
                r.archiveSha256(),
                r.name(),
                r.version());
        if (updated == 1) {
          Outbox.add(
              connection,
              Topics.MODELS,
              new ModelVersionRegistered(
                  Event.newId(),
                  r.jobId(),
                  Instant.now(),
                  r.name(),
                  r.version(),
                  r.artifactUri(),
                  r.sha256(),
                  r.sizeBytes()));
          for (String alias : r.aliases()) {
            AliasRepository.move(
                connection, r.name(), alias, r.version(), r.jobId(), "job " + r.jobId());
          }
        }
        connection.commit();
        return updated == 1;
      } catch (SQLException | RuntimeException e) {
        connection.rollback();
        throw e;
      }
    }
  }

  public void failed(String name, int version, String message) throws SQLException {
    try (Connection connection = db.getConnection()) {
      update(
          connection,
          // a READY version stays READY: a late failure of a retried registration is not its
          "update model_version set status = 'FAILED_REGISTRATION', status_message = ? where"
              + " name = ? and version = ? and status = 'PENDING_REGISTRATION'",
          message,
          name,
          version);
    }
  }

  public Optional<ModelVersion> byJob(String jobId) throws SQLException {
    try (Connection connection = db.getConnection()) {
      return byJob(connection, jobId);
    }
  }

  public Optional<ModelVersion> version(String name, int version) throws SQLException {
    List<ModelVersion> found =
        versions("where v.name = ? and v.version = ?", new Object[] {name, version});
    return found.stream().findFirst();
  }

  /** Every version of every model, by model name and version. */
  public List<ModelVersion> allVersions() throws SQLException {
    return versions("order by v.name, v.version", new Object[0]);
  }

  public List<ModelVersion> versions(String name) throws SQLException {
    return versions("where v.name = ? order by v.version", new Object[] {name});
  }

  /** Models whose name contains {@code nameLike} and that carry tag {@code key=value}, if given. */
  public List<RegisteredModel> models(String nameLike, String tagKey, String tagValue)
      throws SQLException {
    StringBuilder where = new StringBuilder(" where 1 = 1");
    List<Object> args = new ArrayList<>();
    if (nameLike != null) {
      where.append(" and m.name ilike ?");
      args.add("%" + nameLike + "%");
    }
    if (tagKey != null) {
      where.append(" and m.tags ->> ? = ?");
      args.add(tagKey);
      args.add(tagValue);
    }
    return models(where.toString(), args);
  }

  public Optional<RegisteredModel> model(String name) throws SQLException {
    return models(" where m.name = ?", List.of(name)).stream().findFirst();
  }

  private List<RegisteredModel> models(String where, List<Object> args) throws SQLException {
    List<RegisteredModel> models = new ArrayList<>();
    try (Connection connection = db.getConnection();
        PreparedStatement statement =
            connection.prepareStatement(
                "select m.*, (select max(version) from model_version v where v.name = m.name)"
                    + " as latest from registered_model m"
                    + where
                    + " order by m.name")) {
      bind(statement, args.toArray());
      try (ResultSet row = statement.executeQuery()) {
        while (row.next()) {
          String name = row.getString("name");
          models.add(
              new RegisteredModel(
                  name,
                  row.getString("description"),
                  Sql.stringMap(row, "tags"),
                  (Integer) row.getObject("latest"),
                  AliasRepository.current(connection, name),
                  instant(row, "created_at"),
                  instant(row, "updated_at")));
        }
      }
    }
    return models;
  }

  /** Sets ({@code value} non-null) or removes a tag of a version. */
  public boolean tagVersion(String name, int version, String key, String value)
      throws SQLException {
    String change = value == null ? "tags - ?" : "tags || jsonb_build_object(?::text, ?::text)";
    Object[] args =
        value == null
            ? new Object[] {key, name, version}
            : new Object[] {key, value, name, version};
    try (Connection connection = db.getConnection()) {
      return update(
              connection,
              "update model_version set tags = " + change + " where name = ? and version = ?",
              args)
          == 1;
    }
  }

  private List<ModelVersion> versions(String where, Object[] args) throws SQLException {
    try (Connection connection = db.getConnection()) {
      return versions(connection, where, args);
    }
  }

  private List<ModelVersion> versions(Connection connection, String where, Object[] args)
      throws SQLException {
    List<ModelVersion> found = new ArrayList<>();
    try (PreparedStatement statement =
        connection.prepareStatement(
            "select " + VERSION_COLUMNS + " from model_version v " + where)) {
      bind(statement, args);
      Map<String, Map<String, Integer>> aliasesByModel = new HashMap<>();
      try (ResultSet row = statement.executeQuery()) {
        while (row.next()) {
          String name = row.getString("name");
          if (!aliasesByModel.containsKey(name)) {
            aliasesByModel.put(name, AliasRepository.current(connection, name));
          }
          found.add(VersionRows.version(row, aliasesByModel.get(name)));
        }
      }
    }
    return found;
  }

  private Optional<ModelVersion> byJob(Connection connection, String jobId) throws SQLException {
    return versions(connection, "where v.job_id = ?", new Object[] {jobId}).stream().findFirst();
  }

  private static int nextVersion(Connection connection, String name) throws SQLException {
    try (PreparedStatement statement =
        connection.prepareStatement(
            "select coalesce(max(version), 0) + 1 from model_version where name = ?")) {
      bind(statement, name);
      try (ResultSet row = statement.executeQuery()) {
        row.next();
        return row.getInt(1);
      }
    }
  }

  static int update(Connection connection, String sql, Object... args) throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(sql)) {
      bind(statement, args);
      return statement.executeUpdate();
    }
  }

  /** Locks the model's row until the transaction ends, so version numbers are taken in turn. */
  private static void lockModel(Connection connection, String name) throws SQLException {
    try (PreparedStatement statement =
        connection.prepareStatement(
            "select name from registered_model where name = ? for update")) {
      bind(statement, name);
      statement.executeQuery().close();
    }
  }
}
