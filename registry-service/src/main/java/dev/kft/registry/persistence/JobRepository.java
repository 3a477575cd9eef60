package dev.kft.registry.persistence;

import static dev.kft.registry.persistence.ModelRepository.update;
import static dev.kft.registry.persistence.Sql.bind;
import static dev.kft.registry.persistence.Sql.instant;
import static dev.kft.registry.persistence.Sql.json;

import dev.kft.events.CheckpointEvaluated;
import dev.kft.events.Event;
import dev.kft.events.JobAccepted;
import dev.kft.events.JobFailed;
import dev.kft.events.JobRejected;
import dev.kft.events.TrainingProgress;
import dev.kft.registry.domain.JobStatus;
import dev.kft.registry.domain.TrackedJob;
import dev.kft.registry.domain.TrackedJob.MetricPoint;
import dev.kft.registry.domain.TrackedJob.TimelineEntry;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;

/** Job tracking in PostgreSQL: status, timeline and metric history of every job. */
@ApplicationScoped
public class JobRepository {

  private final DataSource db;

  public JobRepository(DataSource db) {
    this.db = db;
  }

  /**
   * Adds {@code event} to its job's timeline, moves the job's status and keeps its figures, in one
   * transaction.
   *
   * @return false when the event was recorded before (a redelivery), and nothing changed
   */
  public boolean record(Event event) throws SQLException {
    try (Connection connection = db.getConnection()) {
      connection.setAutoCommit(false);
      try {
        int inserted =
            update(
                connection,
                "insert into job_event (event_id, job_id, type, occurred_at, payload)"
                    + " values (?, ?, ?, ?, ?::jsonb) on conflict (event_id) do nothing",
                event.eventId(),
                event.jobId(),
                event.getClass().getSimpleName(),
                event.occurredAt(),
                json(event));
        if (inserted == 0) {
          connection.commit();
          return false;
        }
        JobStatus current = lockJob(connection, event.jobId(), event.occurredAt());
        Optional<JobStatus> next = JobStatus.after(current, event);
        if (next.isPresent()) {
          setStatus(connection, event.jobId(), next.get(), reasonOf(event));
        }
        if (event instanceof JobAccepted a) {
          update(
              connection,
              "update job set spec = ?::jsonb, model_name = ? where job_id = ?",
              json(a.spec()),
              a.spec().registry().modelName(),
              a.jobId());
        }
        recordMetrics(connection, event);
        connection.commit();
        return true;
      } catch (SQLException | RuntimeException e) {
        connection.rollback();
        throw e;
      }
    }
  }

  /**
   * Tracks a job submitted through the API as {@code SUBMITTED} at once, so that the address the
   * submission answers with finds it before its {@code SubmitJob} comes back from Kafka.
   */
  public void submitted(String jobId, Instant at) throws SQLException {
    try (Connection connection = db.getConnection()) {
      track(connection, jobId, at);
    }
  }

  /** Creates the job's row as SUBMITTED unless it exists. */
  private static void track(Connection connection, String jobId, Instant at) throws SQLException {
    update(
        connection,
        "insert into job (job_id, status, created_at, updated_at) values (?, 'SUBMITTED', ?, ?)"
            + " on conflict (job_id) do nothing",
        jobId,
        at,
        at);
  }

  /** Ends a job with a status the registry decided, unless it already ended. */
  public void end(String jobId, JobStatus status, String reason) throws SQLException {
    try (Connection connection = db.getConnection()) {
      connection.setAutoCommit(false);
      JobStatus current = lockJob(connection, jobId, Instant.now());
      if (current == null || !current.terminal()) {
        setStatus(connection, jobId, status, reason);
      }
      connection.commit();
    }
  }

  public List<TrackedJob> list(JobStatus status) throws SQLException {
    String where = status == null ? "" : " where status = ?";
    List<TrackedJob> jobs = new ArrayList<>();
    try (Connection connection = db.getConnection();
        PreparedStatement statement =
            connection.prepareStatement(
                "select * from job" + where + " order by created_at desc")) {
      if (status != null) {
        bind(statement, status.name());
      }
      try (ResultSet row = statement.executeQuery()) {
        while (row.next()) {
          jobs.add(job(row, List.of(), List.of()));
        }
      }
    }
    return jobs;
  }

  /** How many tracked jobs are in each status (statuses without jobs are absent). */
  public Map<JobStatus, Long> countByStatus() throws SQLException {
    Map<JobStatus, Long> counts = new EnumMap<>(JobStatus.class);
    try (Connection connection = db.getConnection();
        PreparedStatement statement =
            connection.prepareStatement("select status, count(*) from job group by status");
        ResultSet row = statement.executeQuery()) {
      while (row.next()) {
        counts.put(JobStatus.valueOf(row.getString(1)), row.getLong(2));
      }
    }
    return counts;
  }

  /** A job with its timeline and metric history. */
  public Optional<TrackedJob> get(String jobId) throws SQLException {
    return find(jobId, true);
  }

  /** A job's status and reason alone, as listings show it: one row read, for frequent checks. */
  public Optional<TrackedJob> summary(String jobId) throws SQLException {
    return find(jobId, false);
  }

  private Optional<TrackedJob> find(String jobId, boolean whole) throws SQLException {
    try (Connection connection = db.getConnection();
        PreparedStatement statement =
            connection.prepareStatement("select * from job where job_id = ?")) {
      bind(statement, jobId);
      try (ResultSet row = statement.executeQuery()) {
        if (!row.next()) {
          return Optional.empty();
        }
        return Optional.of(
            whole
                ? job(row, timeline(connection, jobId), metricHistory(connection, jobId))
                : job(row, List.of(), List.of()));
      }
    }
  }

  private static TrackedJob job(ResultSet row, List<TimelineEntry> t, List<MetricPoint> m)
      throws SQLException {
    return new TrackedJob(
        row.getString("job_id"),
        JobStatus.valueOf(row.getString("status")),
        row.getString("model_name"),
        row.getString("reason"),
        instant(row, "created_at"),
        instant(row, "updated_at"),
        t,
        m);
  }

  /** Locks the job's row, creating it as SUBMITTED when this is its first event. */
  private static JobStatus lockJob(Connection connection, String jobId, Instant at)
      throws SQLException {
    track(connection, jobId, at);
    try (PreparedStatement statement =
        connection.prepareStatement("select status from job where job_id = ? for update")) {
      bind(statement, jobId);
      try (ResultSet row = statement.executeQuery()) {
        row.next();
        return JobStatus.valueOf(row.getString(1));
      }
    }
  }

  private static void setStatus(
      Connection connection, String jobId, JobStatus status, String reason) throws SQLException {
    update(
        connection,
        "update job set status = ?, reason = coalesce(?, reason), updated_at = ? where job_id = ?",
        status.name(),
        reason,
        Instant.now(),
        jobId);
  }

  private static String reasonOf(Event e) {
    if (e instanceof JobFailed f) {
      return f.service() + " failed at " + f.stage() + ": " + f.reason();
    }
    if (e instanceof JobRejected r) {
      return r.reason();
    }
    return null;
  }

  private static void recordMetrics(Connection connection, Event event) throws SQLException {
    Map<String, Double> figures = new LinkedHashMap<>();
    String kind;
    long step;
    if (event instanceof TrainingProgress p) {
      kind = "train";
      step = p.step();
      figures.put("loss", p.loss());
      figures.put("learning_rate", p.learningRate());
      figures.put("grad_norm", p.gradNorm());
      figures.put("samples_per_second", p.samplesPerSecond());
      figures.put("epoch", p.epoch());
    } else if (event instanceof CheckpointEvaluated e) {
      kind = "eval";
      step = e.step();
      figures.putAll(e.metrics());
    } else {
      return;
    }
    for (Map.Entry<String, Double> f : figures.entrySet()) {
      if (Double.isFinite(f.getValue())) {
        update(
            connection,
            "insert into job_metric (job_id, kind, step, name, value) values (?, ?, ?, ?, ?)"
                + " on conflict do nothing",
            event.jobId(),
            kind,
            step,
            f.getKey(),
            f.getValue());
      }
    }
  }

  private static List<TimelineEntry> timeline(Connection connection, String jobId)
      throws SQLException {
    List<TimelineEntry> entries = new ArrayList<>();
    try (PreparedStatement statement =
        connection.prepareStatement(
            "select type, occurred_at, payload from job_event where job_id = ?"
                + " and type <> 'TrainingProgress' order by occurred_at")) {
      bind(statement, jobId);
      try (ResultSet row = statement.executeQuery()) {
        while (row.next()) {
          entries.add(
              new TimelineEntry(
                  row.getString(1), instant(row, "occurred_at"), Sql.tree(row, "payload")));
        }
      }
    }
    return entries;
  }

  private static List<MetricPoint> metricHistory(Connection connection, String jobId)
      throws SQLException {
    List<MetricPoint> points = new ArrayList<>();
    try (PreparedStatement statement =
        connection.prepareStatement(
            "select kind, step, name, value from job_metric where job_id = ?"
                + " order by kind desc, step, name")) {
      bind(statement, jobId);
      try (ResultSet row = statement.executeQuery()) {
        while (row.next()) {
          points.add(
              new MetricPoint(
                  row.getString(1), row.getLong(2), row.getString(3), row.getDouble(4)));
        }
      }
    }
    return points;
  }
}
