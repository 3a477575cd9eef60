package dev.kft.registry.persistence;

import static dev.kft.registry.persistence.Sql.bind;
import static dev.kft.registry.persistence.Sql.instant;
import static dev.kft.registry.persistence.Sql.json;

import dev.kft.events.ParameterCount;
import dev.kft.job.MethodType;
import dev.kft.registry.domain.AliasMove;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;

/** Registered models, versions, aliases and their audit history in PostgreSQL. */
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

  public void ready(
      String name,
      int version,
      String artifactUri,
      String archiveUri,
      String sha256,
      long size,
      String archiveSha256)
      throws SQLException {
    try (Connection connection = db.getConnection()) {
      update(
          connection,
          "update model_version set status = 'READY', status_message = null, artifact_uri = ?,"
              + " archive_uri = ?, sha256 = ?, size_bytes = ?, archive_sha256 = ? where name = ?"
              + " and version = ?",
          artifactUri,
          archiveUri,
          sha256,
          size,
          archiveSha256,
          name,
          version);
    }
  }

  public void failed(String name, int version, String message) throws SQLException {
    try (Connection connection = db.getConnection()) {
      update(
          connection,
          "update model_version set status = 'FAILED_REGISTRATION', status_message = ? where"
              + " name = ? and version = ?",
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
                  aliases(connection, name),
                  instant(row, "created_at"),
                  instant(row, "updated_at")));
        }
      }
    }
    return models;
  }

  /**
   * Points {@code alias} at {@code version} and records the move.
   *
   * @return the version it pointed at before, or null
   */
  public Integer setAlias(String name, String alias, int version, String actor)
      throws SQLException {
    try (Connection connection = db.getConnection()) {
      connection.setAutoCommit(false);
      try {
        Integer previous = aliases(connection, name).get(alias);
        update(
            connection,
            "insert into model_alias (name, alias, version, updated_at) values (?, ?, ?, ?)"
                + " on conflict (name, alias) do update set version = excluded.version,"
                + " updated_at = excluded.updated_at",
            name,
            alias,
            version,
            Instant.now());
        audit(connection, name, alias, previous, version, actor);
        connection.commit();
        return previous;
      } catch (SQLException | RuntimeException e) {
        connection.rollback();
        throw e;
      }
    }
  }

  /** Removes {@code alias}; returns the version it pointed at, or null when there was none. */
  public Integer deleteAlias(String name, String alias, String actor) throws SQLException {
    try (Connection connection = db.getConnection()) {
      connection.setAutoCommit(false);
      try {
        Integer previous = aliases(connection, name).get(alias);
        if (previous != null) {
          update(connection, "delete from model_alias where name = ? and alias = ?", name, alias);
          audit(connection, name, alias, previous, null, actor);
        }
        connection.commit();
        return previous;
      } catch (SQLException | RuntimeException e) {
        connection.rollback();
        throw e;
      }
    }
  }

  public List<AliasMove> aliasHistory(String name) throws SQLException {
    List<AliasMove> moves = new ArrayList<>();
    try (Connection connection = db.getConnection();
        PreparedStatement statement =
            connection.prepareStatement("select * from alias_history where name = ? order by id")) {
      bind(statement, name);
      try (ResultSet row = statement.executeQuery()) {
        while (row.next()) {
          moves.add(
              new AliasMove(
                  name,
                  row.getString("alias"),
                  (Integer) row.getObject("from_version"),
                  (Integer) row.getObject("to_version"),
                  row.getString("actor"),
                  instant(row, "at")));
        }
      }
    }
    return moves;
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
            aliasesByModel.put(name, aliases(connection, name));
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

  private static Map<String, Integer> aliases(Connection connection, String name)
      throws SQLException {
    Map<String, Integer> aliases = new LinkedHashMap<>();
    try (PreparedStatement statement =
        connection.prepareStatement(
            "select alias, version from model_alias where name = ? order by alias")) {
      bind(statement, name);
      try (ResultSet row = statement.executeQuery()) {
        while (row.next()) {
          aliases.put(row.getString(1), row.getInt(2));
        }
      }
    }
    return aliases;
  }

  private static void audit(
      Connection connection, String name, String alias, Integer from, Integer to, String actor)
      throws SQLException {
    update(
        connection,
        "insert into alias_history (name, alias, from_version, to_version, actor, at)"
            + " values (?, ?, ?, ?, ?, ?)",
        name,
        alias,
        from,
        to,
        actor,
        Instant.now());
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
