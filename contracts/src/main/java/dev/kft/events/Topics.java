package dev.kft.events;

import java.util.List;

/**
 * The Kafka topics that join kft's services; every record on them is keyed by its job id so that
 * one job's records stay ordered in one partition. Channel names equal topic names.
 */
public final class Topics {

  /** {@link SubmitJob} commands published by users and the CLI. */
  public static final String JOBS = "kft.jobs";

  /** Job records that cannot be parsed at all, with the error in the {@code kft-error} header. */
  public static final String JOBS_DLQ = "kft.jobs.dlq";

  /** The life of a job: {@link JobEvent} facts from every service. */
  public static final String JOB_EVENTS = "kft.job-events";

  /** Tokenized batches of every split, binary {@code TokenizedBatch} payloads. */
  public static final String BATCHES = "kft.batches";

  /** {@link CheckpointSaved} facts from the trainer. */
  public static final String CHECKPOINTS = "kft.checkpoints";

  /** {@link EvaluationEvent} facts from the evaluator. */
  public static final String EVALUATIONS = "kft.evaluations";

  /** {@link ControlCommand}s that steer a running job. */
  public static final String CONTROL = "kft.control";

  /** {@link ModelEvent} facts from the registry. */
  public static final String MODELS = "kft.models";

  /** {@link ScoringSwitched} facts from the inference service's scoring deployments. */
  public static final String SCORING = "kft.scoring";

  /** Header that carries why a record was sent to {@link #JOBS_DLQ}. */
  public static final String ERROR_HEADER = "kft-error";

  /** The topics whose consumers park records they cannot use in a dead-letter topic. */
  public static final List<String> WITH_DEAD_LETTERS =
      List.of(JOBS, JOB_EVENTS, CHECKPOINTS, EVALUATIONS);

  /** Every topic, in the order of the flow, then the dead-letter topics. */
  public static final List<String> ALL =
      List.of(
          JOBS,
          JOB_EVENTS,
          BATCHES,
          CHECKPOINTS,
          EVALUATIONS,
          CONTROL,
          MODELS,
          SCORING,
          JOBS_DLQ,
          deadLetters(JOB_EVENTS),
          deadLetters(CHECKPOINTS),
          deadLetters(EVALUATIONS));

  private Topics() {}

  /** The dead-letter topic of {@code topic}: {@code <topic>.dlq}. */
  public static String deadLetters(String topic) {
    return topic + ".dlq";
  }
}
