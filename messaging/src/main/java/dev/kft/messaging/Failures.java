package dev.kft.messaging;

import java.time.Duration;
import java.time.Instant;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * The consecutive failures of one record in a {@link RecordLoop}: how long to pause before trying
 * again (doubling from 2 s up to a minute) and when to give up on the record, after {@value
 * #ATTEMPTS} attempts spread over at least {@link #BUDGET}, long enough to ride out a broker, store
 * or database outage.
 */
final class Failures {

  static final int ATTEMPTS = 5;
  static final Duration BUDGET = Duration.ofMinutes(10);
  private static final Duration FIRST_PAUSE = Duration.ofSeconds(2);
  private static final Duration MAX_PAUSE = Duration.ofMinutes(1);

  private String record;
  private int count;
  private Instant first;

  /**
   * Counts a failure of {@code r}.
   *
   * @return whether the retry budget of that record is spent
   */
  boolean add(ConsumerRecord<?, ?> r, Instant now) {
    String key = r.topic() + "-" + r.partition() + "@" + r.offset();
    if (!key.equals(record)) {
      record = key;
      count = 0;
      first = now;
    }
    count++;
    return count >= ATTEMPTS && Duration.between(first, now).compareTo(BUDGET) >= 0;
  }

  /** What was tried, for the dead letter's reason. */
  String describe(Exception last) {
    return "failed " + count + " times since " + first + "; last: " + last;
  }

  void clear() {
    record = null;
    count = 0;
  }

  /** The pause before the next try. */
  Duration pause() {
    Duration pause = FIRST_PAUSE;
    for (int i = 1; i < count; i++) {
      pause = Backoff.doubled(pause, MAX_PAUSE);
    }
    return pause;
  }
}
