package dev.kft.inference.messaging;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Metrics of stream scoring, per deployment: records scored, version switches, version in use, and
 * this instance's lag.
 */
@ApplicationScoped
public class ScoringMetrics {

  private final MeterRegistry registry;
  private final Map<String, AtomicInteger> versions = new ConcurrentHashMap<>();
  private final Map<String, AtomicLong> lags = new ConcurrentHashMap<>();

  public ScoringMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  void scored(String deployment, int records, int version) {
    Counter.builder("kft.inference.scoring.records")
        .description("Input records scored (or parked as unusable) and committed")
        .tag("deployment", deployment)
        .register(registry)
        .increment(records);
    versions
        .computeIfAbsent(
            deployment,
            d ->
                registry.gauge(
                    "kft.inference.scoring.version",
                    List.of(Tag.of("deployment", d)),
                    new AtomicInteger()))
        .set(version);
  }

  /** Records of the deployment's input partitions this instance reads that it has not scored. */
  void lag(String deployment, long records) {
    lags.computeIfAbsent(
            deployment,
            d ->
                registry.gauge(
                    "kft.inference.scoring.lag",
                    List.of(Tag.of("deployment", d)),
                    new AtomicLong()))
        .set(records);
  }

  void switched(String deployment) {
    Counter.builder("kft.inference.scoring.switches")
        .description("Moves of a deployment to another version of its model (its alias moved)")
        .tag("deployment", deployment)
        .register(registry)
        .increment();
  }
}
