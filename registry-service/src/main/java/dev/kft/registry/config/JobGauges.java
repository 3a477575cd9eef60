package dev.kft.registry.config;

import dev.kft.registry.domain.JobStatus;
import dev.kft.registry.persistence.JobRepository;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.sql.SQLException;
import java.util.Locale;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * The gauge {@code kft.registry.jobs} (tag {@code status}): how many tracked jobs are in each
 * status, read from the database at most every five seconds however often it is scraped.
 */
@ApplicationScoped
public class JobGauges {

  private static final Logger LOG = Logger.getLogger(JobGauges.class);
  private static final long MAX_AGE_NANOS = 5_000_000_000L;

  private final JobRepository jobs;
  private final MeterRegistry registry;
  private Map<JobStatus, Long> counts = Map.of();
  private long readAt;

  public JobGauges(JobRepository jobs, MeterRegistry registry) {
    this.jobs = jobs;
    this.registry = registry;
  }

  void onStart(@Observes StartupEvent event) {
    for (JobStatus status : JobStatus.values()) {
      Gauge.builder("kft.registry.jobs", () -> count(status))
          .tag("status", status.name().toLowerCase(Locale.ROOT))
          .description("tracked jobs by status")
          .register(registry);
    }
  }

  private synchronized long count(JobStatus status) {
    if (readAt == 0 || System.nanoTime() - readAt > MAX_AGE_NANOS) {
      try {
        counts = jobs.countByStatus();
      } catch (SQLException e) {
        // keep the last counts; the database's own health check reports the outage
        LOG.debugf("job counts not refreshed: %s", e.getMessage());
      }
      readAt = System.nanoTime();
    }
    return counts.getOrDefault(status, 0L);
  }
}
