package dev.kft.evaluator.messaging;

import dev.kft.evaluator.domain.JobState;
import dev.kft.events.CheckpointEvaluated;
import dev.kft.events.Event;
import dev.kft.events.ModelCandidate;
import dev.kft.events.StopTraining;
import dev.kft.events.TrainingFinished.Reason;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.inject.Singleton;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The evaluator's metrics ({@code docs/metrics.md}): evaluations, their duration and samples/s,
 * early stops, candidates, and the best value of each active job's metric, whose series is removed
 * when the job ends.
 */
@Singleton
public class EvaluatorMetrics {

  private final MeterRegistry registry;
  private final Map<String, Gauge> bestGauges = new ConcurrentHashMap<>();
  private final Map<String, AtomicReference<Double>> bestValues = new ConcurrentHashMap<>();

  public EvaluatorMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  void evaluated(String jobId, JobState state, long samples, long nanos) {
    registry.timer("kft.evaluator.evaluation.duration").record(nanos, TimeUnit.NANOSECONDS);
    if (samples > 0) {
      registry.summary("kft.evaluator.samples.per.second").record(samples / (nanos / 1e9));
    }
    if (state.bestValue() != null) {
      bestValues
          .computeIfAbsent(
              jobId,
              id -> {
                AtomicReference<Double> value = new AtomicReference<>(Double.NaN);
                bestGauges.put(
                    id,
                    Gauge.builder("kft.evaluator.best.metric", value, AtomicReference::get)
                        .tag("job_id", id)
                        .tag("metric", state.metric())
                        .description("best value so far of the job's metric_for_best_model")
                        .register(registry));
                return value;
              })
          .set(state.bestValue());
    }
  }

  void published(Event e) {
    if (e instanceof CheckpointEvaluated) {
      registry.counter("kft.evaluator.evaluations").increment();
    } else if (e instanceof ModelCandidate) {
      registry.counter("kft.evaluator.candidates").increment();
    } else if (e instanceof StopTraining s && s.reason() == Reason.EARLY_STOPPED) {
      registry.counter("kft.evaluator.early.stops").increment();
    }
  }

  void ended(String jobId) {
    bestValues.remove(jobId);
    Gauge gauge = bestGauges.remove(jobId);
    if (gauge != null) {
      registry.remove(gauge);
    }
  }
}
