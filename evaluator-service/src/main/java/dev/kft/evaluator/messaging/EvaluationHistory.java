package dev.kft.evaluator.messaging;

import dev.kft.events.EvaluationEvent;
import dev.kft.events.Topics;
import dev.kft.messaging.KafkaConnection;
import dev.kft.messaging.TopicScan;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads one job's earlier events back from {@code kft.evaluations} (committed ones only, up to the
 * current end, from the job's partition only), so an evaluator that restarts mid-job knows its best
 * checkpoint and patience.
 */
final class EvaluationHistory {

  private EvaluationHistory() {}

  static List<EvaluationEvent> read(KafkaConnection kafka, String jobId, Duration timeout) {
    List<EvaluationEvent> history = new ArrayList<>();
    TopicScan.eventsOf(
        kafka,
        Topics.EVALUATIONS,
        jobId,
        timeout,
        event -> {
          if (event instanceof EvaluationEvent e) {
            history.add(e);
          }
        });
    return history;
  }
}
