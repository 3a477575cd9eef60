package dev.kft.registry.persistence;

import static dev.kft.registry.persistence.Sql.bind;
import static dev.kft.registry.persistence.Sql.instant;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kft.registry.domain.JobStatus;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * Jobs as the console lists them: a page of jobs with where each one's training stands (step, loss,
 * learning rate, time left), the jobs that moved since a point of the event log, and one metric of
 * a job as a series for a chart.
 */
@ApplicationScoped
public class JobBoard {

  /**
   * Where a job's training stands at its latest report.
   *
   * @param etaSeconds time left at the pace since the first report; null when unknown or ended
   */
  public record Progress(
      long step,
      long totalSteps,
      double epoch,
      double loss,
      double learningRate,
      Long etaSeconds,
      Instant reportedAt) {}

  /** One job in a listing; {@code progress} is null before its first report. */
  public record Row(
      String jobId,
      JobStatus status,
      String modelName,
      String reason,
      Instant createdAt,
      Instant updatedAt,
      Progress progress) {}

  /** One page of jobs, newest first. */
  public record Page(long total, int page, int size, List<Row> jobs) {}

  /** An event's place in the log and its job. */
  public record Recorded(long position, String jobId) {}

  private static final String ROWS =
      "select j.*, last.payload as last_report, last.occurred_at as last_at,"
          + " first.payload as first_report, first.occurred_at as first_at from job j"
          + " left join lateral (select payload, occurred_at from job_event e"
          + "   where e.job_id = j.job_id and e.type = 'TrainingProgress' order by seq desc limit 1)"
          + " last on true"
          + " left join lateral (select payload, occurred_at from job_event e"
          + "   where e.job_id = j.job_id and e.type = 'TrainingProgress' order by seq limit 1)"
          + " first on true";

  private final DataSource db;

  public JobBoard(DataSource db) {
    this.db = db;
  }

  /**
   * One page of jobs, newest first.
   *
   * @param status only jobs in it, or null for all
   * @param page from 1
   */
  public Page page(JobStatus status, int page, int size) throws SQLException {
    String where = status == null ? "" : " where j.status = ?";
    Object[] filter = status == null ? new Object[0] : new Object[] {status.name()};
    try (Connection connection = db.getConnection()) {
      long total;
      try (PreparedStatement count =
          connection.prepareStatement("select count(*) from job j" + where)) {
        bind(count, filter);
        try (ResultSet row = count.executeQuery()) {
          row.next();
          total = row.getLong(1);
        }
      }
      List<Row> rows =
          rows(
              connection,
              ROWS + where + " order by j.created_at desc, j.job_id limit ? offset ?",
              append(filter, size, (long) (page - 1) * size));
      return new Page(total, page, size, rows);
    }
  }

  /** One job as listings show it. */
  public Optional<Row> row(String jobId) throws SQLException {
    try (Connection connection = db.getConnection()) {
      return rows(connection, ROWS + " where j.job_id = ?", jobId).stream().findFirst();
    }
  }

  /** The job's spec with its defaults, as accepted; null before it was accepted. */
  public JsonNode spec(String jobId) throws SQLException {
    try (Connection connection = db.getConnection();
        PreparedStatement statement =
            connection.prepareStatement("select spec from job where job_id = ?")) {
      bind(statement, jobId);
      try (ResultSet row = statement.executeQuery()) {
        return row.next() ? Sql.tree(row, "spec") : null;
      }
    }
  }

  /** Where the event log stands now: the position of the last event recorded. */
  public long position() throws SQLException {
    try (Connection connection = db.getConnection();
        PreparedStatement statement =
            connection.prepareStatement("select coalesce(max(seq), 0) from job_event");
        ResultSet row = statement.executeQuery()) {
      row.next();
      return row.getLong(1);
    }
  }

  /**
   * The events recorded after {@code position}: their positions and jobs, in recording order.
   *
   * @param position a point {@link #position()} or an earlier call returned
   */
  public List<Recorded> after(long position) throws SQLException {
    List<Recorded> recorded = new ArrayList<>();
    try (Connection connection = db.getConnection();
        PreparedStatement statement =
            connection.prepareStatement(
                "select seq, job_id from job_event where seq > ? order by seq")) {
      bind(statement, position);
      try (ResultSet row = statement.executeQuery()) {
        while (row.next()) {
          recorded.add(new Recorded(row.getLong(1), row.getString(2)));
        }
      }
    }
    return recorded;
  }

  /**
   * The jobs whose status changed after {@code since}: the registry ends a job (registered, not
   * approved) without an event of its own, so a follower of the event log alone would miss it.
   */
  public List<String> changedAfter(Instant since) throws SQLException {
    List<String> ids = new ArrayList<>();
    try (Connection connection = db.getConnection();
        PreparedStatement statement =
            connection.prepareStatement("select job_id from job where updated_at > ?")) {
      bind(statement, since);
      try (ResultSet row = statement.executeQuery()) {
        while (row.next()) {
          ids.add(row.getString(1));
        }
      }
    }
    return ids;
  }

  /** Some jobs as listings show them. */
  public List<Row> rows(Collection<String> jobIds) throws SQLException {
    if (jobIds.isEmpty()) {
      return List.of();
    }
    try (Connection connection = db.getConnection()) {
      return rows(
          connection,
          ROWS + " where j.job_id = any (?)",
          connection.createArrayOf("text", jobIds.toArray()));
    }
  }

  private static List<Row> rows(Connection connection, String sql, Object... args)
      throws SQLException {
    List<Row> rows = new ArrayList<>();
    try (PreparedStatement statement = connection.prepareStatement(sql)) {
      bind(statement, args);
      try (ResultSet row = statement.executeQuery()) {
        while (row.next()) {
          JobStatus status = JobStatus.valueOf(row.getString("status"));
          rows.add(
              new Row(
                  row.getString("job_id"),
                  status,
                  row.getString("model_name"),
                  row.getString("reason"),
                  instant(row, "created_at"),
                  instant(row, "updated_at"),
                  progress(row, status)));
        }
      }
    }
    return rows;
  }

  private static Progress progress(ResultSet row, JobStatus status) throws SQLException {
    JsonNode last = Sql.tree(row, "last_report");
    if (last == null || last.isMissingNode() || last.isNull()) {
      return null;
    }
    JsonNode first = Sql.tree(row, "first_report");
    Instant lastAt = instant(row, "last_at");
    long step = last.path("step").asLong();
    long total = last.path("totalSteps").asLong();
    long stepsSince = step - first.path("step").asLong();
    Duration took = Duration.between(instant(row, "first_at"), lastAt);
    Long eta =
        status.terminal() || stepsSince <= 0 || took.isZero() || took.isNegative()
            ? null
            : Math.max(0, Math.round((total - step) * (took.toMillis() / 1000.0) / stepsSince));
    return new Progress(
        step,
        total,
        last.path("epoch").asDouble(),
        last.path("loss").asDouble(Double.NaN),
        last.path("learningRate").asDouble(),
        eta,
        lastAt);
  }

  private static Object[] append(Object[] head, Object... tail) {
    Object[] all = new Object[head.length + tail.length];
    System.arraycopy(head, 0, all, 0, head.length);
    System.arraycopy(tail, 0, all, head.length, tail.length);
    return all;
  }
}
