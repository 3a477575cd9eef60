package dev.kft.trainer.messaging;

import dev.kft.trainer.training.TrainingRun;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The meters of one running job ({@code docs/metrics.md}): loss and learning rate gauges tagged
 * with the job (removed when it ends), step and checkpoint durations.
 */
final class JobMeters implements AutoCloseable {

  private final MeterRegistry registry;
  private final AtomicReference<Double> loss = new AtomicReference<>(Double.NaN);
  private final AtomicReference<Double> learningRate = new AtomicReference<>(Double.NaN);
  private final List<Gauge> gauges;
  private long lastStep = -1;
  private long lastNanos;

  JobMeters(MeterRegistry registry, String jobId) {
    this.registry = registry;
    this.gauges =
        List.of(
            Gauge.builder("kft.trainer.loss", loss, AtomicReference::get)
                .tag("job_id", jobId)
                .description("mean training loss of the last progress report")
                .register(registry),
            Gauge.builder("kft.trainer.learning.rate", learningRate, AtomicReference::get)
                .tag("job_id", jobId)
                .description("learning rate at the last progress report")
                .register(registry));
  }

  void progress(TrainingRun.Progress p) {
    loss.set(p.loss());
    learningRate.set(p.learningRate());
    long now = System.nanoTime();
    if (lastStep >= 0 && p.step() > lastStep) {
      registry
          .timer("kft.trainer.step.duration")
          .record((now - lastNanos) / (p.step() - lastStep), TimeUnit.NANOSECONDS);
    }
    lastStep = p.step();
    lastNanos = now;
  }

  void checkpoint(Duration took) {
    if (!took.isZero()) {
      registry.timer("kft.trainer.checkpoint.duration").record(took);
    }
  }

  @Override
  public void close() {
    gauges.forEach(registry::remove);
  }
}
