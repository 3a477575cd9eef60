package dev.kft.evaluator.messaging;

import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Readiness of the evaluation loop: running, and polling Kafka within the last minute. */
@Readiness
@ApplicationScoped
public class EvaluationLoopHealth implements HealthCheck {

  private final EvaluationLoop loop;

  public EvaluationLoopHealth(EvaluationLoop loop) {
    this.loop = loop;
  }

  @Override
  public HealthCheckResponse call() {
    Duration sincePoll = Duration.between(loop.lastPoll(), Instant.now());
    return HealthCheckResponse.named("kft.checkpoints evaluation loop")
        .status(loop.alive() && sincePoll.toSeconds() < 60)
        .withData("secondsSinceLastPoll", sincePoll.toSeconds())
        .build();
  }
}
