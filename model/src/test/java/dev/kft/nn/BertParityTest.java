package dev.kft.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import dev.kft.batch.TokenizedBatch;
import dev.kft.checkpoint.BertConfig;
import dev.kft.checkpoint.BertInit;
import dev.kft.checkpoint.SafeTensorsReader;
import dev.kft.checkpoint.SafeTensorsWriter;
import dev.kft.checkpoint.TensorData;
import dev.kft.json.Json;
import dev.kft.testing.PythonReference;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Our DJL model computes what Hugging Face's BertForSequenceClassification computes: the same
 * weights (written by us, read by an independent numpy reader in strict state-dict loading) give
 * the same logits and last hidden states as a PyTorch reference forward pass.
 */
@Tag("parity")
public class BertParityTest {

  @TempDir Path dir;

  @ParameterizedTest
  @ValueSource(strings = {"absolute", "relative_key", "relative_key_query"})
  void logitsAndHiddenStatesMatchPyTorch(String positions) throws Exception {
    BertConfig config =
        TinyBert.config(500, 64, 2, 4, 3, 0.2)
            .withOverrides(Map.of("position_embedding_type", positions));
    Map<String, TensorData> weights = BertInit.random(config, 11);
    Path file = dir.resolve("model.safetensors");
    SafeTensorsWriter.write(file, weights, Map.of("format", "pt"));
    Files.writeString(dir.resolve("config.json"), config.toJson().toString());
    TokenizedBatch batch = TinyBert.batch(4, 12, 500, 5);
    Files.writeString(dir.resolve("inputs.json"), inputsJson(batch));

    float[] logits;
    float[] hidden;
    try (NDManager manager = NDManager.newBaseManager();
        SafeTensorsReader reader = SafeTensorsReader.open(file);
        BertClassifier model = BertClassifier.create(config, reader.readAll(), manager);
        NDManager step = manager.newSubManager()) {
      BertClassifier.Output out = model.forward(ModelInputs.of(step, batch), DropoutMasks.NONE);
      logits = out.logits().toFloatArray();
      hidden = out.lastHiddenState().toFloatArray();
    }

    JsonNode reference =
        Json.mapper()
            .readTree(
                PythonReference.run(
                    "bert_reference.py", dir, "config.json", "model.safetensors", "inputs.json"));
    double logitDiff = maxAbsDiff(logits, flatten(reference.get("logits")));
    double hiddenDiff = maxAbsDiff(hidden, flatten(reference.get("last_hidden_state")));
    System.out.printf(
        "parity (%s): max |Δlogit| %.3g, max |Δhidden| %.3g%n", positions, logitDiff, hiddenDiff);
    assertTrue(logitDiff <= 1e-4, "max |Δlogit| = " + logitDiff);
    assertTrue(hiddenDiff <= 1e-4, "max |Δhidden| = " + hiddenDiff);
    assertTrue(maxAbs(logits) > 0.1, "logits are not trivially small");
  }

  public static String inputsJson(TokenizedBatch b) throws Exception {
    int[][] ids = new int[b.rows()][b.sequenceLength()];
    int[][] mask = new int[b.rows()][b.sequenceLength()];
    int[][] types = new int[b.rows()][b.sequenceLength()];
    for (int r = 0; r < b.rows(); r++) {
      for (int c = 0; c < b.sequenceLength(); c++) {
        int i = r * b.sequenceLength() + c;
        ids[r][c] = b.inputIds()[i];
        mask[r][c] = b.attentionMask()[i];
        types[r][c] = b.tokenTypeIds()[i];
      }
    }
    return Json.mapper()
        .writeValueAsString(
            Map.of("input_ids", ids, "attention_mask", mask, "token_type_ids", types));
  }

  public static float[] flatten(JsonNode nested) {
    java.util.List<Float> values = new java.util.ArrayList<>();
    collect(nested, values);
    float[] out = new float[values.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = values.get(i);
    }
    return out;
  }

  private static void collect(JsonNode node, java.util.List<Float> values) {
    if (node.isArray()) {
      node.forEach(n -> collect(n, values));
    } else {
      values.add((float) node.asDouble());
    }
  }

  public static double maxAbsDiff(float[] a, float[] b) {
    assertEquals(a.length, b.length, "element count");
    double max = 0;
    for (int i = 0; i < a.length; i++) {
      max = Math.max(max, Math.abs(a[i] - b[i]));
    }
    return max;
  }

  private static double maxAbs(float[] a) {
    double max = 0;
    for (float v : a) {
      max = Math.max(max, Math.abs(v));
    }
    return max;
  }
}
