package dev.kft.events;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.kft.json.Json;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serializer;

/** Writes any {@link Event} as JSON with its {@code type} discriminator, for every JSON topic. */
public class EventSerializer implements Serializer<Event> {

  @Override
  public byte[] serialize(String topic, Event event) {
    if (event == null) {
      return null;
    }
    try {
      return Json.mapper().writerFor(Event.class).writeValueAsBytes(event);
    } catch (JsonProcessingException e) {
      throw new SerializationException("cannot write " + event.getClass().getSimpleName(), e);
    }
  }
}
