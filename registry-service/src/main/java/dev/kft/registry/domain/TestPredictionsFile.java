package dev.kft.registry.domain;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kft.json.Json;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Reads a version's per-example predictions on the test split ({@code test_predictions.jsonl}: row,
 * text, label, predicted, probabilities), all of them or only the mistakes, most confident first.
 */
public final class TestPredictionsFile {

  private TestPredictionsFile() {}

  /**
   * @param errorsOnly only the rows whose predicted label is not their label, by the probability of
   *     the predicted label, highest first
   * @param limit most rows returned
   */
  public static List<JsonNode> read(Path file, boolean errorsOnly, int limit) throws IOException {
    List<JsonNode> rows = new ArrayList<>();
    try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        if (line.isBlank()) {
          continue;
        }
        JsonNode row = Json.mapper().readTree(line);
        boolean wrong = !row.path("label").asText().equals(row.path("predicted").asText());
        if (!errorsOnly || wrong) {
          rows.add(row);
        }
        if (!errorsOnly && rows.size() >= limit) {
          break;
        }
      }
    }
    if (errorsOnly) {
      rows.sort(Comparator.comparingDouble(TestPredictionsFile::confidence).reversed());
    }
    return List.copyOf(rows.subList(0, Math.min(limit, rows.size())));
  }

  /** The probability the row gave its predicted label. */
  static double confidence(JsonNode row) {
    return row.path("probabilities").path(row.path("predicted").asText()).asDouble();
  }
}
