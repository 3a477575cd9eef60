package dev.kft.registry.persistence;

import static dev.kft.registry.persistence.ModelRepository.update;
import static dev.kft.registry.persistence.Sql.instant;

import dev.kft.events.Event;
import dev.kft.events.ScoringDeclared;
import dev.kft.events.ScoringRemoved;
import dev.kft.events.Topics;
import dev.kft.registry.domain.ScoringDeployment;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/**
 * Scoring deployments in PostgreSQL, each declaration and removal announced ({@code
 * ScoringDeclared}, {@code ScoringRemoved} through the {@link Outbox}) in the transaction that
 * makes it.
 */
@ApplicationScoped
public class ScoringRepository {

  private final DataSource db;

  public ScoringRepository(DataSource db) {
    this.db = db;
  }

  /** Declares {@code d}, replacing a deployment of the same name. */
  public void declare(ScoringDeployment d) throws SQLException {
    inTransaction(
        connection -> {
          update(
              connection,
              "insert into scoring_deployment (name, model, from_topic, to_topic, text_field,"
                  + " declared_by, declared_at) values (?, ?, ?, ?, ?, ?, ?) on conflict (name) do"
                  + " update set model = excluded.model, from_topic = excluded.from_topic,"
                  + " to_topic = excluded.to_topic, text_field = excluded.text_field,"
                  + " declared_by = excluded.declared_by, declared_at = excluded.declared_at",
              d.name(),
              d.model(),
              d.fromTopic(),
              d.toTopic(),
              d.textField(),
              d.declaredBy(),
              d.declaredAt());
          Outbox.add(
              connection,
              Topics.MODELS,
              new ScoringDeclared(
                  Event.newId(),
                  d.name(),
                  Instant.now(),
                  d.name(),
                  d.model(),
                  d.fromTopic(),
                  d.toTopic(),
                  d.textField(),
                  d.declaredBy()));
          return true;
        });
  }

  /** Removes the deployment {@code name}; false when there is none. */
  public boolean remove(String name, String actor) throws SQLException {
    return inTransaction(
        connection -> {
          if (update(connection, "delete from scoring_deployment where name = ?", name) == 0) {
            return false;
          }
          Outbox.add(
              connection,
              Topics.MODELS,
              new ScoringRemoved(Event.newId(), name, Instant.now(), name, actor));
          return true;
        });
  }

  public List<ScoringDeployment> list() throws SQLException {
    List<ScoringDeployment> all = new ArrayList<>();
    try (Connection connection = db.getConnection();
        PreparedStatement statement =
            connection.prepareStatement("select * from scoring_deployment order by name");
        ResultSet row = statement.executeQuery()) {
      while (row.next()) {
        all.add(
            new ScoringDeployment(
                row.getString("name"),
                row.getString("model"),
                row.getString("from_topic"),
                row.getString("to_topic"),
                row.getString("text_field"),
                row.getString("declared_by"),
                instant(row, "declared_at")));
      }
    }
    return all;
  }

  private interface Work {
    boolean run(Connection connection) throws SQLException;
  }

  private boolean inTransaction(Work work) throws SQLException {
    try (Connection connection = db.getConnection()) {
      connection.setAutoCommit(false);
      try {
        boolean done = work.run(connection);
        connection.commit();
        return done;
      } catch (SQLException | RuntimeException e) {
        connection.rollback();
        throw e;
      }
    }
  }
}
