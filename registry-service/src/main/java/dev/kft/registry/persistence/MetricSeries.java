package dev.kft.registry.persistence;

import static dev.kft.registry.persistence.Sql.bind;

import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/** A job's logged figures one metric at a time, as charts draw them. */
@ApplicationScoped
public class MetricSeries {

  private final DataSource db;

  public MetricSeries(DataSource db) {
    this.db = db;
  }

  /** The (step, value) points of one of a job's metrics, in step order. */
  public List<double[]> points(String jobId, String kind, String name) throws SQLException {
    List<double[]> points = new ArrayList<>();
    try (Connection connection = db.getConnection();
        PreparedStatement statement =
            connection.prepareStatement(
                "select step, value from job_metric where job_id = ? and kind = ? and name = ?"
                    + " order by step")) {
      bind(statement, jobId, kind, name);
      try (ResultSet row = statement.executeQuery()) {
        while (row.next()) {
          points.add(new double[] {row.getLong(1), row.getDouble(2)});
        }
      }
    }
    return points;
  }

  /** The names of a job's metrics of one kind ({@code train} or {@code eval}). */
  public List<String> names(String jobId, String kind) throws SQLException {
    List<String> names = new ArrayList<>();
    try (Connection connection = db.getConnection();
        PreparedStatement statement =
            connection.prepareStatement(
                "select distinct name from job_metric where job_id = ? and kind = ? order by name")) {
      bind(statement, jobId, kind);
      try (ResultSet row = statement.executeQuery()) {
        while (row.next()) {
          names.add(row.getString(1));
        }
      }
    }
    return names;
  }
}
