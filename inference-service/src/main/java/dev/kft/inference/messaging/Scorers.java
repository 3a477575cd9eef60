package dev.kft.inference.messaging;

import dev.kft.events.ScoringDeclared;
import dev.kft.inference.config.InferenceConfig;
import dev.kft.inference.domain.LoadedModels;
import dev.kft.inference.domain.ModelCatalog;
import dev.kft.messaging.KafkaConnection;
import dev.kft.messaging.TransactionalPublisher;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.HashMap;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * The scoring deployments this instance runs: one {@link ScoringLoop} per deployment declared on
 * {@code kft.models}, replaced when it is declared again and stopped when it is removed. Instances
 * share each deployment's input partitions through its consumer group.
 */
@ApplicationScoped
public class Scorers {

  private static final Logger LOG = Logger.getLogger(Scorers.class);

  private final ModelCatalog catalog;
  private final LoadedModels models;
  private final ScoringMetrics metrics;
  private final InferenceConfig config;
  private final KafkaConnection kafka;
  private final Map<String, ScoringLoop> running = new HashMap<>();

  public Scorers(
      ModelCatalog catalog,
      LoadedModels models,
      ScoringMetrics metrics,
      InferenceConfig config,
      KafkaConnection kafka) {
    this.catalog = catalog;
    this.models = models;
    this.metrics = metrics;
    this.config = config;
    this.kafka = kafka;
  }

  synchronized void declare(ScoringDeclared d) throws InterruptedException {
    remove(d.deployment());
    ScoringLoop loop =
        new ScoringLoop(
            d,
            kafka,
            TransactionalPublisher.transactionalId(
                config.transactionalIdPrefix() + "-" + d.deployment()),
            catalog,
            models,
            metrics,
            config.batchSize());
    running.put(d.deployment(), loop);
    loop.start();
    LOG.infof(
        "scoring %s: %s -> %s with %s", d.deployment(), d.fromTopic(), d.toTopic(), d.model());
  }

  synchronized void remove(String deployment) throws InterruptedException {
    ScoringLoop loop = running.remove(deployment);
    if (loop != null) {
      loop.stop();
      LOG.infof("scoring %s stopped", deployment);
    }
  }

  /** How many deployments this instance runs. */
  public synchronized int size() {
    return running.size();
  }

  @PreDestroy
  synchronized void stopAll() throws InterruptedException {
    for (ScoringLoop loop : running.values()) {
      loop.stop();
    }
    running.clear();
  }
}
