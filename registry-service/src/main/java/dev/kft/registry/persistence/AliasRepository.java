package dev.kft.registry.persistence;

import static dev.kft.registry.persistence.ModelRepository.update;
import static dev.kft.registry.persistence.Sql.bind;
import static dev.kft.registry.persistence.Sql.instant;

import dev.kft.events.AliasDeleted;
import dev.kft.events.AliasSet;
import dev.kft.events.Event;
import dev.kft.events.Topics;
import dev.kft.registry.domain.AliasMove;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

/**
 * Model aliases in PostgreSQL: every move is audited and announced ({@code AliasSet}, {@code
 * AliasDeleted} through the {@link Outbox}) in the transaction that makes it.
 */
@ApplicationScoped
public class AliasRepository {

  private final DataSource db;

  public AliasRepository(DataSource db) {
    this.db = db;
  }

  /**
   * Points {@code alias} at {@code version} of the model that {@code jobId} trained.
   *
   * @return the version it pointed at before, or null
   */
  public Integer set(String name, String alias, int version, String jobId, String actor)
      throws SQLException {
    try (Connection connection = db.getConnection()) {
      connection.setAutoCommit(false);
      try {
        Integer previous = move(connection, name, alias, version, jobId, actor);
        connection.commit();
        return previous;
      } catch (SQLException | RuntimeException e) {
        connection.rollback();
        throw e;
      }
    }
  }

  /** Removes {@code alias}; returns the version it pointed at, or null when there was none. */
  public Integer delete(String name, String alias, String jobId, String actor) throws SQLException {
    try (Connection connection = db.getConnection()) {
      connection.setAutoCommit(false);
      try {
        Integer previous = current(connection, name).get(alias);
        if (previous != null) {
          update(connection, "delete from model_alias where name = ? and alias = ?", name, alias);
          audit(connection, name, alias, previous, null, actor);
          Outbox.add(
              connection,
              Topics.MODELS,
              new AliasDeleted(Event.newId(), jobId, Instant.now(), name, alias, previous, actor));
        }
        connection.commit();
        return previous;
      } catch (SQLException | RuntimeException e) {
        connection.rollback();
        throw e;
      }
    }
  }

  public List<AliasMove> history(String name) throws SQLException {
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

  /** Moves an alias within the caller's transaction, with its audit entry and its event. */
  static Integer move(
      Connection connection, String name, String alias, int version, String jobId, String actor)
      throws SQLException {
    Integer previous = current(connection, name).get(alias);
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
    Outbox.add(
        connection,
        Topics.MODELS,
        new AliasSet(Event.newId(), jobId, Instant.now(), name, alias, version, previous, actor));
    return previous;
  }

  /** The model's aliases and the versions they point at, by alias. */
  static Map<String, Integer> current(Connection connection, String name) throws SQLException {
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
}
