package dev.kft.trainer.messaging;

import dev.kft.events.CheckpointEvaluated;
import dev.kft.events.Event;
import dev.kft.events.Topics;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Reads {@code kft.evaluations} from its beginning at every start (a group of its own per instance)
 * and notes each job's best and last evaluated checkpoint for {@code save_total_limit}.
 */
@ApplicationScoped
public class EvaluationConsumer {

  private final RunningJob running;

  public EvaluationConsumer(RunningJob running) {
    this.running = running;
  }

  @Incoming(Topics.EVALUATIONS)
  public void onEvaluation(Event event) {
    if (event instanceof CheckpointEvaluated c) {
      running.evaluated(c.jobId(), c.step(), c.best());
    }
  }
}
