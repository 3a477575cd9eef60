package dev.kft.events;

import com.fasterxml.jackson.databind.exc.InvalidTypeIdException;
import dev.kft.json.Json;
import java.io.IOException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Reads JSON written by {@link EventSerializer} back into the {@link Event} its {@code type} names.
 * A payload that is not such an event raises {@link SerializationException} with the cause.
 */
public class EventDeserializer implements Deserializer<Event> {

  /**
   * Whether {@code e} is about an event of a type this version does not know (written by a newer
   * kft): such records are skipped, not treated as damaged.
   */
  public static boolean unknownType(SerializationException e) {
    return e.getCause() instanceof InvalidTypeIdException;
  }

  @Override
  public Event deserialize(String topic, byte[] data) {
    if (data == null) {
      return null;
    }
    try {
      return Json.mapper().readValue(data, Event.class);
    } catch (IOException e) {
      throw new SerializationException("not a kft event on " + topic + ": " + e.getMessage(), e);
    }
  }
}
