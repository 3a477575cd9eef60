package dev.kft.evaluator.messaging;

import dev.kft.checkpoint.CheckpointDataset;
import dev.kft.evaluator.config.EvaluatorConfig;
import dev.kft.evaluator.domain.JobEvaluator;
import dev.kft.evaluator.domain.JobState;
import dev.kft.events.CheckpointSaved;
import dev.kft.events.DatasetPrepared;
import dev.kft.events.Event;
import dev.kft.events.JobFailed;
import dev.kft.events.StopTraining;
import dev.kft.events.Topics;
import dev.kft.events.TrainingFinished.Reason;
import dev.kft.io.ConfinedPaths;
import dev.kft.io.PathNotAllowedException;
import dev.kft.messaging.BatchReplay;
import dev.kft.messaging.KafkaConnection;
import dev.kft.messaging.KafkaUnavailableException;
import dev.kft.messaging.RecordLoop;
import dev.kft.messaging.TransactionalPublisher;
import dev.kft.model.ModelLoader;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.jboss.logging.Logger;

/**
 * Consumes {@code kft.checkpoints} and evaluates each checkpoint on a worker thread while the loop
 * keeps polling; publishes {@code CheckpointEvaluated} and {@code ModelCandidate} on {@code
 * kft.evaluations}, {@code StopTraining} on {@code kft.control} and {@code JobFailed} on {@code
 * kft.job-events} in one transaction with the checkpoint record's offset. One partition's
 * checkpoints, hence one job's, are evaluated in step order while the trainer goes on training.
 */
@Singleton
public class EvaluationLoop extends RecordLoop<TransactionalPublisher> {

  private static final Logger LOG = Logger.getLogger(EvaluationLoop.class);

  private final JobEvaluator evaluator;
  private final ConfinedPaths artifacts;
  private final EvaluatorConfig config;
  private final EvaluatorMetrics metrics;
  private final Map<String, JobState> jobs = new ConcurrentHashMap<>();
  private final Set<String> failedJobs = ConcurrentHashMap.newKeySet();

  public EvaluationLoop(
      ModelLoader loader,
      ConfinedPaths artifacts,
      EvaluatorConfig config,
      EvaluatorMetrics metrics,
      MeterRegistry registry,
      KafkaConnection kafka) {
    super("kft-evaluator-checkpoints", kafka, "kft-evaluator", registry);
    this.evaluator =
        new JobEvaluator(
            loader,
            (prepared, split) ->
                BatchReplay.read(kafka, prepared, split, config.batchReadTimeout()));
    this.artifacts = artifacts;
    this.config = config;
    this.metrics = metrics;
  }

  /** Drops what is known of every job, as a restart would; it is rebuilt from the log. */
  void forgetJobs() {
    jobs.clear();
  }

  @Override
  protected TransactionalPublisher open() {
    return new TransactionalPublisher(kafka(), transactionalId(config.transactionalIdPrefix()));
  }

  @Override
  protected List<String> topics() {
    return List.of(Topics.CHECKPOINTS);
  }

  /**
   * Another evaluator may evaluate these jobs now: their states are read again when they return.
   */
  @Override
  protected void partitionsRevoked(Collection<TopicPartition> partitions) {
    jobs.clear();
  }

  @Override
  protected void handle(
      KafkaConsumer<String, byte[]> consumer,
      TransactionalPublisher publisher,
      ConsumerRecord<String, byte[]> record)
      throws Exception {
    List<Event> out = List.of();
    if (event(record) instanceof CheckpointSaved saved) {
      Future<List<Event>> work =
          whilePolling(consumer, () -> review(saved), Instant.MAX, () -> false);
      if (!work.isDone()) {
        return;
      }
      try {
        out = work.get();
      } catch (ExecutionException e) {
        if (KafkaUnavailableException.causes(e.getCause())) {
          jobs.remove(record.key());
          throw new KafkaUnavailableException("job " + saved.jobId(), e.getCause());
        }
        out = failed(saved, e.getCause());
      }
    }
    List<Event> outcome = out;
    try {
      publisher.inTransaction(
          tx -> outcome.forEach(e -> tx.sendEvent(topicOf(e), e)),
          Map.of(
              new TopicPartition(record.topic(), record.partition()),
              new OffsetAndMetadata(record.offset() + 1)),
          consumer.groupMetadata());
    } catch (Exception e) {
      jobs.remove(record.key());
      throw e;
    }
    outcome.forEach(metrics::published);
  }

  private List<Event> review(CheckpointSaved saved) throws Exception {
    if (failedJobs.contains(saved.jobId())) {
      return List.of();
    }
    long started = System.nanoTime();
    Path checkpoint = artifacts.resolve(saved.uri());
    DatasetPrepared prepared = CheckpointDataset.read(checkpoint);
    JobState state =
        jobs.computeIfAbsent(
            saved.jobId(),
            id ->
                JobState.replay(
                    prepared.spec().training(),
                    EvaluationHistory.read(kafka(), id, config.batchReadTimeout())));
    try {
      JobEvaluator.Outcome outcome = evaluator.review(saved, checkpoint, prepared, state);
      metrics.evaluated(saved.jobId(), state, outcome.samples(), System.nanoTime() - started);
      if (state.failed() || state.candidatePublished()) {
        end(saved.jobId(), state.failed());
      }
      return outcome.events();
    } catch (RuntimeException | IOException e) {
      jobs.remove(saved.jobId());
      throw e;
    }
  }

  private List<Event> failed(CheckpointSaved saved, Throwable cause) {
    String reason = "could not evaluate checkpoint " + saved.uri() + ": " + cause.getMessage();
    if (cause instanceof PathNotAllowedException || cause instanceof IOException) {
      LOG.warnf("job %s: %s", saved.jobId(), reason);
    } else {
      LOG.errorf(cause, "job %s: %s", saved.jobId(), reason);
    }
    end(saved.jobId(), true);
    return List.of(
        new JobFailed(
            Event.newId(), saved.jobId(), Instant.now(), "evaluator", "evaluation", reason, null),
        new StopTraining(
            Event.newId(), saved.jobId(), Instant.now(), Reason.FAILED, reason, "evaluator"));
  }

  private void end(String jobId, boolean failed) {
    jobs.remove(jobId);
    if (failed) {
      failedJobs.add(jobId);
    }
    metrics.ended(jobId);
  }

  private static String topicOf(Event e) {
    if (e instanceof StopTraining) {
      return Topics.CONTROL;
    }
    if (e instanceof JobFailed) {
      return Topics.JOB_EVENTS;
    }
    return Topics.EVALUATIONS;
  }
}
