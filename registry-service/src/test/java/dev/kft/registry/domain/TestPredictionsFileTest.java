package dev.kft.registry.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The mistakes of a version come most confident first; all rows come in file order. */
@Tag("unit")
class TestPredictionsFileTest {

  @TempDir Path dir;

  private static String row(int row, String label, String predicted, double pos) {
    return "{\"row\": %d, \"text\": \"t%d\", \"label\": \"%s\", \"predicted\": \"%s\", \"probabilities\": {\"neg\": %s, \"pos\": %s}}"
        .formatted(row, row, label, predicted, 1 - pos, pos);
  }

  @Test
  void mistakesComeMostConfidentFirst() throws Exception {
    Path file =
        Files.write(
            dir.resolve("test_predictions.jsonl"),
            List.of(
                row(1, "pos", "pos", 0.9),
                row(2, "neg", "pos", 0.6),
                row(3, "pos", "neg", 0.1),
                row(4, "neg", "neg", 0.2),
                row(5, "neg", "pos", 0.7)));
    List<JsonNode> errors = TestPredictionsFile.read(file, true, 10);
    assertEquals(List.of(3, 5, 2), errors.stream().map(r -> r.path("row").asInt()).toList());
    assertEquals(
        List.of(3),
        TestPredictionsFile.read(file, true, 1).stream().map(r -> r.path("row").asInt()).toList());
    assertEquals(
        List.of(1, 2),
        TestPredictionsFile.read(file, false, 2).stream().map(r -> r.path("row").asInt()).toList());
  }
}
