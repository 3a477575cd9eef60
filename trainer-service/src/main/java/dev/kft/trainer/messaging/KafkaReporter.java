package dev.kft.trainer.messaging;

import dev.kft.events.CheckpointSaved;
import dev.kft.events.Event;
import dev.kft.events.JobFailed;
import dev.kft.events.ParameterCount;
import dev.kft.events.Topics;
import dev.kft.events.TrainingFinished;
import dev.kft.events.TrainingProgress;
import dev.kft.events.TrainingStarted;
import dev.kft.job.JobSpec;
import dev.kft.messaging.KafkaConnection;
import dev.kft.messaging.TopicScan;
import dev.kft.messaging.TransactionalPublisher;
import dev.kft.trainer.training.CheckpointStore;
import dev.kft.trainer.training.JobReporter;
import dev.kft.trainer.training.TrainingRun;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Publishes one job's training facts: {@code TrainingStarted}, {@code TrainingProgress}, {@code
 * TrainingFinished} and {@code JobFailed} on {@code kft.job-events}, {@code CheckpointSaved} on
 * {@code kft.checkpoints}; and counts them in the trainer's metrics.
 */
final class KafkaReporter implements JobReporter {

  private static final Logger LOG = Logger.getLogger(KafkaReporter.class);

  private static final Duration SCAN_TIMEOUT = Duration.ofMinutes(2);

  private final TransactionalPublisher publisher;
  private final KafkaConnection kafka;
  private final String jobId;
  private final JobSpec spec;
  private final MeterRegistry registry;
  private long reportedSteps;
  private final JobMeters meters;
  private ParameterCount parameters;

  KafkaReporter(
      TransactionalPublisher publisher,
      KafkaConnection kafka,
      String jobId,
      JobSpec spec,
      MeterRegistry registry) {
    this.publisher = publisher;
    this.kafka = kafka;
    this.jobId = jobId;
    this.spec = spec;
    this.registry = registry;
    this.meters = new JobMeters(registry, jobId);
  }

  @Override
  public void started(
      ParameterCount parameters,
      long totalSteps,
      long resumedFromStep,
      String device,
      String precision,
      List<String> unusedWeights) {
    reportedSteps = resumedFromStep;
    this.parameters = parameters;
    LOG.infof(
        "job %s: %s, %d steps from step %d on %s%s",
        jobId, parameters, totalSteps, resumedFromStep, device, " in " + precision);
    publisher.publish(
        Topics.JOB_EVENTS,
        new TrainingStarted(
            Event.newId(),
            jobId,
            Instant.now(),
            spec.method().type().id(),
            parameters,
            totalSteps,
            resumedFromStep,
            device,
            precision,
            unusedWeights));
  }

  @Override
  public void progress(TrainingRun.Progress p) {
    registry.counter("kft.trainer.steps").increment(p.step() - reportedSteps);
    reportedSteps = p.step();
    registry.summary("kft.trainer.samples.per.second").record(p.samplesPerSecond());
    meters.progress(p);
    publisher.publish(
        Topics.JOB_EVENTS,
        new TrainingProgress(
            Event.newId(),
            jobId,
            Instant.now(),
            p.step(),
            p.totalSteps(),
            p.epoch(),
            p.loss(),
            p.learningRate(),
            p.gradNorm(),
            p.samplesPerSecond(),
            p.tokensPerSecond(),
            p.lossScale(),
            p.skippedSteps()));
  }

  @Override
  public void checkpointSaved(
      CheckpointStore.Saved saved,
      double epoch,
      double trainLoss,
      TrainingFinished.Reason finished,
      boolean evaluationPoint) {
    registry.counter("kft.trainer.checkpoints").increment();
    meters.checkpoint(saved.took());
    publisher.publish(
        Topics.CHECKPOINTS,
        new CheckpointSaved(
            Event.newId(),
            jobId,
            Instant.now(),
            saved.step(),
            epoch,
            saved.directory().toUri().toString(),
            saved.sha256(),
            saved.sizeBytes(),
            saved.trainableOnly(),
            parameters,
            trainLoss,
            finished,
            evaluationPoint));
  }

  @Override
  public void finished(
      TrainingFinished.Reason reason,
      long step,
      double epoch,
      double trainLoss,
      String lastCheckpointUri) {
    registry
        .counter("kft.trainer.jobs", "outcome", reason.name().toLowerCase(java.util.Locale.ROOT))
        .increment();
    meters.close();
    publisher.publish(
        Topics.JOB_EVENTS,
        new TrainingFinished(
            Event.newId(),
            jobId,
            Instant.now(),
            reason,
            step,
            epoch,
            trainLoss,
            lastCheckpointUri));
  }

  @Override
  public EndReported endReported() {
    boolean[] found = new boolean[2];
    TopicScan.eventsOf(
        kafka,
        Topics.CHECKPOINTS,
        jobId,
        SCAN_TIMEOUT,
        e -> found[0] |= e instanceof CheckpointSaved c && c.jobId().equals(jobId) && c.last());
    TopicScan.eventsOf(
        kafka,
        Topics.JOB_EVENTS,
        jobId,
        SCAN_TIMEOUT,
        e -> found[1] |= e instanceof TrainingFinished && e.jobId().equals(jobId));
    return new EndReported(found[0], found[1]);
  }

  @Override
  public void failed(String reason, Long step) {
    registry.counter("kft.trainer.jobs", "outcome", "failed").increment();
    meters.close();
    publisher.publish(
        Topics.JOB_EVENTS,
        new JobFailed(Event.newId(), jobId, Instant.now(), "trainer", "train", reason, step));
  }
}
