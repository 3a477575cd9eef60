package dev.kft.dataprep.messaging;

import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Readiness of the {@code kft.jobs} loop: running, and polling Kafka within the last minute. */
@Readiness
@ApplicationScoped
public class JobLoopHealth implements HealthCheck {

  private final JobLoop loop;

  public JobLoopHealth(JobLoop loop) {
    this.loop = loop;
  }

  @Override
  public HealthCheckResponse call() {
    Duration sincePoll = Duration.between(loop.lastPoll(), Instant.now());
    return HealthCheckResponse.named("kft.jobs loop")
        .status(loop.alive() && sincePoll.toSeconds() < 60)
        .withData("secondsSinceLastPoll", sincePoll.toSeconds())
        .build();
  }
}
