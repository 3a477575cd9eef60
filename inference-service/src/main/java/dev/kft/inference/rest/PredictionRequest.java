package dev.kft.inference.rest;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kft.text.Text;
import java.util.ArrayList;
import java.util.List;

/**
 * The body of a prediction request, in the shape of Hugging Face's text-classification pipeline:
 * {@code {"inputs": ["text", {"text": "…", "text_pair": "…"}, …], "top_k": 1}}; {@code inputs} may
 * also be one text, and {@code top_k} {@code null} for every label.
 *
 * @param topK labels per input, or null for all
 */
record PredictionRequest(List<Text> inputs, Integer topK) {

  /**
   * Reads and checks a request body.
   *
   * @throws Problem (400) naming the field that is wrong, (413) when over a limit
   */
  static PredictionRequest read(JsonNode body, int maxInputs, int maxChars) {
    if (body == null || !body.isObject()) {
      throw Problem.badRequest("the body must be a JSON object with \"inputs\"");
    }
    JsonNode inputs = body.path("inputs");
    List<JsonNode> items = new ArrayList<>();
    if (inputs.isArray()) {
      inputs.forEach(items::add);
    } else if (inputs.isTextual() || inputs.isObject()) {
      items.add(inputs);
    } else {
      throw Problem.badRequest("inputs: required, a text or a list of texts");
    }
    if (items.isEmpty()) {
      throw Problem.badRequest("inputs: the list is empty");
    }
    if (items.size() > maxInputs) {
      throw Problem.tooLarge(
          "inputs: " + items.size() + " inputs, at most " + maxInputs + " per request");
    }
    List<Text> texts = new ArrayList<>(items.size());
    for (int i = 0; i < items.size(); i++) {
      Text t = text(items.get(i), "inputs[" + i + "]");
      int chars = t.text().length() + (t.pair() == null ? 0 : t.pair().length());
      if (chars > maxChars) {
        throw Problem.tooLarge(
            "inputs[" + i + "]: " + chars + " characters, at most " + maxChars + " per input");
      }
      texts.add(t);
    }
    return new PredictionRequest(texts, topK(body));
  }

  private static Text text(JsonNode item, String field) {
    if (item.isTextual()) {
      return Text.of(item.asText(), null);
    }
    JsonNode text = item.path("text");
    JsonNode pair = item.path("text_pair");
    if (!item.isObject() || !text.isTextual() || !(pair.isMissingNode() || pair.isTextual())) {
      throw Problem.badRequest(
          field + ": must be a text or {\"text\": \"…\", \"text_pair\": \"…\"}, got " + item);
    }
    return Text.of(text.asText(), pair.isTextual() ? pair.asText() : null);
  }

  private static Integer topK(JsonNode body) {
    if (!body.has("top_k")) {
      return 1;
    }
    JsonNode k = body.get("top_k");
    if (k.isNull()) {
      return null;
    }
    if (!k.isIntegralNumber() || k.asInt() < 1) {
      throw Problem.badRequest("top_k: must be a whole number >= 1 or null, got " + k);
    }
    return k.asInt();
  }
}
