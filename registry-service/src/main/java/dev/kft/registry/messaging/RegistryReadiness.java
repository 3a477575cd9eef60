package dev.kft.registry.messaging;

import dev.kft.messaging.Backoff;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * Readiness of the registry's own work: down while the database has been retried, or the outbox
 * relay has been failing, for longer than a minute (shorter faults show as data, {@code degraded}).
 */
@Readiness
@ApplicationScoped
public class RegistryReadiness implements HealthCheck {

  private static final Duration TOLERATED = Duration.ofMinutes(1);

  private final Backoff database;
  private final OutboxRelay relay;

  public RegistryReadiness(Backoff database, OutboxRelay relay) {
    this.database = database;
    this.relay = relay;
  }

  @Override
  public HealthCheckResponse call() {
    HealthCheckResponseBuilder response =
        HealthCheckResponse.named("kft registry")
            .up()
            .withData("databaseRetries", database.retries());
    report(response, "database", database.degradedSince());
    report(response, "outboxRelay", relay.failingSince());
    return response.build();
  }

  private static void report(HealthCheckResponseBuilder response, String what, Instant since) {
    if (since == null) {
      return;
    }
    response.withData(what, "degraded since " + since);
    if (Duration.between(since, Instant.now()).compareTo(TOLERATED) > 0) {
      response.down();
    }
  }
}
