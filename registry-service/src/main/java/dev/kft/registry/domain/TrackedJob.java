package dev.kft.registry.domain;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;

/**
 * A job as the registry tracks it, like an MLflow run: status, timeline and metric history.
 *
 * @param reason why it ended when it failed, was rejected or not approved
 * @param timeline its events in the order they happened; empty in listings
 * @param metrics training ({@code train}) and evaluation ({@code eval}) figures per step; empty in
 *     listings
 */
public record TrackedJob(
    String jobId,
    JobStatus status,
    String modelName,
    String reason,
    Instant createdAt,
    Instant updatedAt,
    List<TimelineEntry> timeline,
    List<MetricPoint> metrics) {

  /** One event of the job. */
  public record TimelineEntry(String type, Instant occurredAt, JsonNode event) {}

  /** One logged figure. */
  public record MetricPoint(String kind, long step, String name, double value) {}
}
