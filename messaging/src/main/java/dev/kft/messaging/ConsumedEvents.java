package dev.kft.messaging;

import dev.kft.events.Event;
import dev.kft.events.EventDeserializer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.errors.SerializationException;

/** Reads the kft event of a consumed record, telling damaged records from newer event types. */
public final class ConsumedEvents {

  private static final EventDeserializer EVENTS = new EventDeserializer();

  private ConsumedEvents() {}

  /**
   * The record's kft event, or null for an event of a type this version does not know (a newer
   * kft's), which consumers skip.
   *
   * @throws PoisonRecordException when it is not an event, which parks it in the dead-letter topic
   */
  public static Event of(ConsumerRecord<String, byte[]> record) {
    if (record.value() == null) {
      throw new PoisonRecordException("the record has no value");
    }
    try {
      return EVENTS.deserialize(record.topic(), record.value());
    } catch (SerializationException e) {
      if (EventDeserializer.unknownType(e)) {
        return null;
      }
      throw new PoisonRecordException(e.getMessage());
    }
  }
}
