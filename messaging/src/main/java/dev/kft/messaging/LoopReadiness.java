package dev.kft.messaging;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import java.time.Duration;
import java.time.Instant;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * Readiness of every {@link RecordLoop} of the service: each running and polling Kafka within the
 * last minute (a loop busy with long work still polls, with its partitions paused).
 */
@Readiness
@ApplicationScoped
public class LoopReadiness implements HealthCheck {

  private static final Duration STALE = Duration.ofMinutes(1);

  private final Instance<RecordLoop<?>> loops;

  public LoopReadiness(@Any Instance<RecordLoop<?>> loops) {
    this.loops = loops;
  }

  @Override
  public HealthCheckResponse call() {
    HealthCheckResponseBuilder response = HealthCheckResponse.named("kft record loops").up();
    for (RecordLoop<?> loop : loops) {
      Duration sincePoll = Duration.between(loop.lastPoll(), Instant.now());
      boolean ready = loop.alive() && sincePoll.compareTo(STALE) < 0;
      response.withData(loop.name() + ".secondsSinceLastPoll", sincePoll.toSeconds());
      if (!ready) {
        response.down();
      }
    }
    return response.build();
  }
}
