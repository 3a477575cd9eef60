package dev.kft.registry.persistence;

import static dev.kft.registry.persistence.Sql.bind;
import static dev.kft.registry.persistence.Sql.instant;

import com.fasterxml.jackson.databind.JsonNode;
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
 * A job's recorded events as a feed: everything so far in the order it happened, then what the
 * registry recorded after a given point, for followers of {@code GET /api/jobs/{id}/events}.
 */
@ApplicationScoped
public class JobEventFeed {

  /**
   * One recorded event.
   *
   * @param seq the order the registry recorded it in; a follower's position
   */
  public record Entry(long seq, String type, Instant occurredAt, JsonNode event) {}

  private final DataSource db;

  public JobEventFeed(DataSource db) {
    this.db = db;
  }

  /** Every event of the job so far, by the time it occurred (ties in recording order). */
  public List<Entry> all(String jobId) throws SQLException {
    return query(
        "select seq, type, occurred_at, payload from job_event where job_id = ?"
            + " order by occurred_at, seq",
        jobId);
  }

  /** The job's events but its progress reports, by the time they occurred: its story. */
  public List<Entry> milestones(String jobId) throws SQLException {
    return query(
        "select seq, type, occurred_at, payload from job_event where job_id = ?"
            + " and type <> 'TrainingProgress' order by occurred_at, seq",
        jobId);
  }

  /** The job's events recorded after {@code seq}, in recording order. */
  public List<Entry> after(String jobId, long seq) throws SQLException {
    return query(
        "select seq, type, occurred_at, payload from job_event where job_id = ? and seq > ?"
            + " order by seq",
        jobId,
        seq);
  }

  private List<Entry> query(String sql, Object... args) throws SQLException {
    List<Entry> entries = new ArrayList<>();
    try (Connection connection = db.getConnection();
        PreparedStatement statement = connection.prepareStatement(sql)) {
      bind(statement, args);
      try (ResultSet row = statement.executeQuery()) {
        while (row.next()) {
          entries.add(
              new Entry(
                  row.getLong("seq"),
                  row.getString("type"),
                  instant(row, "occurred_at"),
                  Sql.tree(row, "payload")));
        }
      }
    }
    return entries;
  }
}
