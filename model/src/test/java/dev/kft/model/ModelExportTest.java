package dev.kft.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import dev.kft.batch.Split;
import dev.kft.batch.TokenizedBatch;
import dev.kft.checkpoint.BertConfig;
import dev.kft.checkpoint.BertInit;
import dev.kft.checkpoint.HubClient;
import dev.kft.checkpoint.ModelExport;
import dev.kft.checkpoint.ModelSource;
import dev.kft.checkpoint.ModelSourceException;
import dev.kft.io.ConfinedPaths;
import dev.kft.json.Json;
import dev.kft.nn.BertClassifier;
import dev.kft.nn.Inference;
import dev.kft.testing.PythonReference;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A model kft exports is a Hugging Face model directory that kft and PyTorch read back alike. */
@Tag("unit")
class ModelExportTest {

  static final Path BERT_BASE_CHINESE = Path.of("..", "models", "bert-base-chinese");

  @TempDir Path dir;

  /** A two-layer member of the bert-base-chinese family with its real vocabulary. */
  static BertConfig tinyChinese(List<String> labels) throws Exception {
    return BertConfig.read(BERT_BASE_CHINESE.resolve("config.json"))
        .withOverrides(
            Map.of(
                "num_hidden_layers",
                2,
                "hidden_size",
                32,
                "num_attention_heads",
                2,
                "intermediate_size",
                64,
                "initializer_range",
                0.3))
        .withLabels(labels);
  }

  static TokenizedBatch batch() {
    int[] ids = {101, 2769, 4263, 6821, 702, 102, 101, 679, 1962, 102, 0, 0};
    byte[] mask = {1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0};
    return new TokenizedBatch(
        "j", Split.TEST, 0, 2, 6, ids, mask, new byte[12], new int[] {0, 1}, new int[] {0, 1});
  }

  @Test
  @Tag("parity")
  void exportedModelReloadsWithIdenticalLogitsAndLoadsStrictlyInPyTorch() throws Exception {
    BertConfig config = tinyChinese(List.of("负面", "正面"));
    Path export = dir.resolve("export");
    float[][] before;
    try (NDManager manager = NDManager.newBaseManager();
        BertClassifier model = BertClassifier.create(config, BertInit.random(config, 8), manager)) {
      before = new Inference(model, 8).run(batch()).logits();
      ModelExport.write(model.config(), model.toTensors(), BERT_BASE_CHINESE, export);
    }
    for (String file :
        List.of(
            "config.json",
            "model.safetensors",
            "tokenizer.json",
            "tokenizer_config.json",
            "vocab.txt")) {
      assertTrue(Files.isRegularFile(export.resolve(file)), file);
    }
    JsonNode json = Json.mapper().readTree(export.resolve("config.json").toFile());
    assertEquals("正面", json.at("/id2label/1").asText());

    ModelLoader loader =
        new ModelLoader(
            new ModelSource(
                new ConfinedPaths(List.of(dir)),
                new HubClient(
                    URI.create("http://127.0.0.1:9"), dir.resolve("hub"), true, Optional.empty())));
    try (NDManager manager = NDManager.newBaseManager()) {
      ModelLoader.Loaded loaded =
          loader.load(new ModelLoader.Request("export", true, Map.of(), List.of(), 1), manager);
      assertEquals(List.of(), loaded.initialized());
      assertEquals(List.of("负面", "正面"), loaded.model().config().labels());
      float[][] after = new Inference(loaded.model(), 8).run(batch()).logits();
      for (int r = 0; r < before.length; r++) {
        assertArrayEquals(before[r], after[r], "row " + r);
      }
    }

    Files.writeString(
        dir.resolve("inputs.json"),
        Json.mapper()
            .writeValueAsString(
                Map.of(
                    "input_ids",
                        List.of(
                            List.of(101, 2769, 4263, 6821, 702, 102),
                            List.of(101, 679, 1962, 102, 0, 0)),
                    "attention_mask", List.of(List.of(1, 1, 1, 1, 1, 1), List.of(1, 1, 1, 1, 0, 0)),
                    "token_type_ids",
                        List.of(List.of(0, 0, 0, 0, 0, 0), List.of(0, 0, 0, 0, 0, 0)))));
    assertReferenceLogits(before, dir, export);
  }

  /**
   * Asserts that PyTorch's reference, reading the model directory {@code model} and {@code
   * inputs.json} in {@code work}, gives {@code expected} (≤ 1e-4).
   */
  static void assertReferenceLogits(float[][] expected, Path work, Path model) throws Exception {
    JsonNode reference =
        Json.mapper()
            .readTree(
                PythonReference.run(
                    "bert_reference.py",
                    work,
                    model.resolve("config.json").toString(),
                    model.resolve("model.safetensors").toString(),
                    "inputs.json"));
    for (int r = 0; r < expected.length; r++) {
      for (int c = 0; c < expected[r].length; c++) {
        assertEquals(expected[r][c], reference.at("/logits/" + r + "/" + c).asDouble(), 1e-4);
      }
    }
  }

  @Test
  void sourcesOutsideTheRootsAreRefused() {
    ModelSource source =
        new ModelSource(
            new ConfinedPaths(List.of(dir)),
            new HubClient(
                URI.create("http://127.0.0.1:9"), dir.resolve("hub"), true, Optional.empty()));
    ModelSourceException e =
        assertThrows(
            ModelSourceException.class,
            () -> source.resolve(BERT_BASE_CHINESE.toAbsolutePath().toString(), false));
    assertTrue(e.getMessage().contains("outside the allowed roots"), e.getMessage());
    ModelSourceException missing =
        assertThrows(ModelSourceException.class, () -> source.resolve(dir.toString(), true));
    assertTrue(
        missing
            .getMessage()
            .contains(
                "lacks config.json, tokenizer.json, "
                    + "model.safetensors (weights are read from safetensors only)"),
        missing.getMessage());
  }
}
