package dev.kft.dataprep.messaging;

import dev.kft.events.DatasetPrepared;
import dev.kft.events.Event;
import dev.kft.events.JobFailed;
import dev.kft.events.JobRejected;
import dev.kft.events.Topics;
import dev.kft.messaging.EventDeserializer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.jboss.logging.Logger;

/**
 * The job ids data-prep has already settled (prepared, failed or rejected), read from {@code
 * kft.job-events} when the loop starts and kept up to date as it settles jobs, so that a job
 * submitted again under the same id is not prepared twice.
 */
final class SettledJobs {

  private static final Logger LOG = Logger.getLogger(SettledJobs.class);

  private final Set<String> settled = ConcurrentHashMap.newKeySet();

  /** Reads every committed job event once; returns how many settled jobs it found. */
  int load(String bootstrapServers) {
    EventDeserializer events = new EventDeserializer();
    try (KafkaConsumer<String, byte[]> consumer =
        new KafkaConsumer<>(
            Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrapServers,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                false),
            new StringDeserializer(),
            new ByteArrayDeserializer())) {
      List<TopicPartition> partitions =
          consumer.partitionsFor(Topics.JOB_EVENTS).stream()
              .map(p -> new TopicPartition(p.topic(), p.partition()))
              .collect(Collectors.toList());
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
      Instant deadline = Instant.now().plusSeconds(120);
      while (!reached(consumer, end) && Instant.now().isBefore(deadline)) {
        for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(500))) {
          note(events, r);
        }
      }
    }
    return settled.size();
  }

  private void note(EventDeserializer events, ConsumerRecord<String, byte[]> r) {
    try {
      Event e = events.deserialize(r.topic(), r.value());
      if (e != null && isSettlement(e)) {
        settled.add(e.jobId());
      }
    } catch (SerializationException ex) {
      LOG.debugf("skipped an unreadable job event at offset %d", r.offset());
    }
  }

  private static boolean reached(
      KafkaConsumer<String, byte[]> consumer, Map<TopicPartition, Long> end) {
    return end.entrySet().stream().allMatch(e -> consumer.position(e.getKey()) >= e.getValue());
  }

  private static boolean isSettlement(Event e) {
    return e instanceof DatasetPrepared
        || e instanceof JobRejected
        || (e instanceof JobFailed f && "data-prep".equals(f.service()));
  }

  boolean contains(String jobId) {
    return settled.contains(jobId);
  }

  void add(String jobId) {
    if (jobId != null) {
      settled.add(jobId);
    }
  }
}
