package dev.kft.cli;

import dev.kft.events.Event;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.TopicPartition;

/**
 * The catch-up of a watch: the events that were already on the watched topics when it began, held
 * until every partition has been read to where it ended then, and handed out in the order they
 * happened. A consumer replays one partition after another, so without this a finished job's
 * evaluations could print before its acceptance.
 */
final class CatchUp {

  private final Map<TopicPartition, Long> ends = new HashMap<>();
  private final List<Event> held = new ArrayList<>();
  private boolean done;

  /** Notes where newly assigned partitions end now; records beyond are live. */
  void assigned(Consumer<?, ?> consumer, Collection<TopicPartition> added) {
    if (!done) {
      ends.putAll(consumer.endOffsets(added));
    }
  }

  /** Whether the catch-up is over and events are shown as they come. */
  boolean done() {
    return done;
  }

  void hold(Event e) {
    held.add(e);
  }

  /**
   * The held events by the time they occurred (ties in reading order), once every partition is read
   * to its end; empty before then and after.
   */
  Optional<List<Event>> finish(Consumer<?, ?> consumer) {
    if (done) {
      return Optional.empty();
    }
    for (Map.Entry<TopicPartition, Long> end : ends.entrySet()) {
      if (consumer.position(end.getKey()) < end.getValue()) {
        return Optional.empty();
      }
    }
    done = true;
    held.sort(Comparator.comparing(Event::occurredAt));
    return Optional.of(List.copyOf(held));
  }
}
