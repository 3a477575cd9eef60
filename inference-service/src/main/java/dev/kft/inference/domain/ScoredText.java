package dev.kft.inference.domain;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kft.inference.domain.Classifier.Score;
import dev.kft.json.Json;
import java.nio.charset.StandardCharsets;

/**
 * The records of stream scoring: an input is a JSON object holding the text in a field, or plain
 * UTF-8 text; an output is a JSON object with the label, its probability, the model and version
 * that gave it, and where the input was read.
 */
public final class ScoredText {

  /** An input's text, or why it has none. */
  public record Input(String text, String problem) {}

  private ScoredText() {}

  /** The text of an input record: {@code field} of a JSON object, or the whole value. */
  public static Input input(byte[] value, String field) {
    if (value == null || value.length == 0) {
      return new Input(null, "an empty record has no text");
    }
    String raw = new String(value, StandardCharsets.UTF_8);
    if (!raw.stripLeading().startsWith("{")) {
      return new Input(raw, null);
    }
    try {
      JsonNode node = Json.mapper().readTree(raw);
      JsonNode text = node.path(field);
      return text.isTextual()
          ? new Input(text.asText(), null)
          : new Input(null, "the JSON object has no text field '" + field + "'");
    } catch (JsonProcessingException e) {
      return new Input(null, "not JSON, though it starts with '{': " + e.getOriginalMessage());
    }
  }

  /** The output record's value. */
  public static byte[] output(
      Score best, String model, int version, String topic, int partition, long offset) {
    ObjectNode out = Json.mapper().createObjectNode();
    out.put("label", best.label());
    out.put("score", best.score());
    out.put("model", model);
    out.put("version", version);
    out.put("topic", topic);
    out.put("partition", partition);
    out.put("offset", offset);
    try {
      return Json.mapper().writeValueAsBytes(out);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
