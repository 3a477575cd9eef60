package dev.kft.registry.config;

import dev.kft.io.ConfinedPaths;
import dev.kft.messaging.Backoff;
import dev.kft.messaging.DeadLetters;
import dev.kft.messaging.KafkaConnection;
import dev.kft.registry.persistence.JobRepository;
import dev.kft.registry.persistence.ModelRepository;
import dev.kft.registry.registration.Registrar;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.sql.SQLException;
import java.util.List;
import java.util.Set;

/** Builds the registrar and the database retry policy from the registry's configuration. */
public class DomainBeans {

  /** SQLSTATE classes of faults that pass: connection, resources, operator, rollback. */
  private static final Set<String> TRANSIENT_CLASSES = Set.of("08", "53", "57", "40");

  /**
   * Waits out a database that is away: connection failures, a server shutting down or out of
   * resources, serialization conflicts. Errors of the data itself are not retried.
   */
  @Produces
  @Singleton
  Backoff databaseBackoff(RegistryConfig config, MeterRegistry metrics) {
    RegistryConfig.Retry retry = config.retry();
    Backoff backoff =
        new Backoff(retry.first(), retry.max(), retry.budget(), DomainBeans::transientSql);
    metrics.more().counter("kft.registry.database.retries", List.of(), backoff, Backoff::retries);
    return backoff;
  }

  /** Parks records the registry cannot use in their topics' dead-letter topics. */
  @Produces
  @Singleton
  DeadLetters deadLetters(KafkaConnection kafka) {
    return new DeadLetters(kafka, "kft-registry");
  }

  void close(@Disposes DeadLetters deadLetters) {
    deadLetters.close();
  }

  static boolean transientSql(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SQLException sql) {
        String state = sql.getSQLState();
        return state == null
            || state.length() < 2
            || TRANSIENT_CLASSES.contains(state.substring(0, 2));
      }
    }
    return false;
  }

  @Produces
  @Singleton
  Registrar registrar(ModelRepository models, JobRepository jobs, RegistryConfig config) {
    return new Registrar(
        models, jobs, new ConfinedPaths(List.of(config.artifactRoot())), config.modelRoot());
  }
}
