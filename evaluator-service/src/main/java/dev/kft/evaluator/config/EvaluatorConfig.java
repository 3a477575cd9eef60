package dev.kft.evaluator.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.time.Duration;

/** Settings of the evaluator service, under {@code kft.evaluator}. */
@ConfigMapping(prefix = "kft.evaluator")
public interface EvaluatorConfig {

  /**
   * The artifact store the trainer writes checkpoints to; checkpoints elsewhere are refused.
   * Evaluation results go to {@code <root>/<jobId>/evaluations/}.
   */
  @WithDefault(".kft/artifacts")
  Path artifactRoot();

  /** Longest wait for a job's validation or test batches to be read back from Kafka. */
  @WithDefault("120s")
  Duration batchReadTimeout();

  /** Prefix of the transactional id; the host name is appended, so each instance has its own. */
  @WithDefault("kft-evaluator")
  String transactionalIdPrefix();
}
