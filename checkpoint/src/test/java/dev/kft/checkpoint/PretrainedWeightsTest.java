package dev.kft.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kft.json.Json;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Pretrained checkpoints of other heads and older naming fit a classifier as transformers does. */
@Tag("unit")
class PretrainedWeightsTest {

  private static BertConfig config(int labels) {
    var json = Json.mapper().createObjectNode();
    json.put("vocab_size", 50)
        .put("hidden_size", 8)
        .put("num_hidden_layers", 1)
        .put("num_attention_heads", 2)
        .put("intermediate_size", 16)
        .put("max_position_embeddings", 16)
        .put("num_labels", labels);
    return BertConfig.parse(json);
  }

  /** A masked-LM checkpoint as old BERT releases ship it: no prefix, gamma/beta, a cls head. */
  private static Map<String, TensorData> maskedLmCheckpoint(BertConfig config) {
    Map<String, TensorData> checkpoint = new LinkedHashMap<>();
    BertInit.random(config, 9)
        .forEach(
            (name, t) -> {
              if (!name.startsWith("classifier")) {
                checkpoint.put(
                    name.substring("bert.".length())
                        .replace("LayerNorm.weight", "LayerNorm.gamma")
                        .replace("LayerNorm.bias", "LayerNorm.beta"),
                    t);
              }
            });
    checkpoint.put("cls.predictions.bias", new TensorData(new long[] {50}, new float[50]));
    checkpoint.put("embeddings.position_ids", new TensorData(new long[] {16}, new float[16]));
    return checkpoint;
  }

  @Test
  void maskedLmCheckpointFitsWithAFreshClassifier() {
    BertConfig config = config(3);
    Map<String, TensorData> checkpoint = maskedLmCheckpoint(config);
    PretrainedWeights.Fitted fitted = PretrainedWeights.fit(config, checkpoint, 1);
    assertEquals(List.of("classifier.weight", "classifier.bias"), fitted.initialized());
    assertEquals(List.of("cls.predictions.bias", "bert.embeddings.position_ids"), fitted.unused());
    assertSame(
        checkpoint.get("encoder.layer.0.output.LayerNorm.gamma"),
        fitted.tensors().get("bert.encoder.layer.0.output.LayerNorm.weight"));
  }

  @Test
  void classifierSizedForOtherLabelsIsReplaced() {
    Map<String, TensorData> twoLabels = BertInit.random(config(2), 1);
    PretrainedWeights.Fitted fitted = PretrainedWeights.fit(config(5), twoLabels, 1);
    assertEquals(List.of("classifier.weight", "classifier.bias"), fitted.initialized());
    assertEquals(5, fitted.tensors().get("classifier.bias").values().length);
  }

  @Test
  void encoderMismatchesAreListedTogether() {
    BertConfig config = config(2);
    Map<String, TensorData> checkpoint = new LinkedHashMap<>(BertInit.random(config, 1));
    checkpoint.remove("bert.encoder.layer.0.intermediate.dense.bias");
    checkpoint.put(
        "bert.embeddings.word_embeddings.weight",
        new TensorData(new long[] {10, 8}, new float[80]));
    checkpoint.put("roberta.pooler.dense.weight", new TensorData(new long[] {1}, new float[1]));
    SafeTensorsException e =
        assertThrows(
            SafeTensorsException.class, () -> PretrainedWeights.fit(config, checkpoint, 1));
    assertTrue(e.getMessage().startsWith("3 weight problem(s)"), e.getMessage());
    assertTrue(e.getMessage().contains("missing tensor bert.encoder.layer.0.intermediate.dense"));
    assertTrue(e.getMessage().contains("has shape [10, 8], the model needs [50, 8]"));
    assertTrue(e.getMessage().contains("unexpected tensor roberta.pooler.dense.weight"));
  }

  @Test
  void fewerLayersKeepTheFirstOnesAndReportTheRest() {
    BertConfig three = config(2).withOverrides(Map.of("num_hidden_layers", 3));
    Map<String, TensorData> checkpoint = BertInit.random(three, 5);
    BertConfig two = three.withOverrides(Map.of("num_hidden_layers", 2));
    PretrainedWeights.Fitted fitted = PretrainedWeights.fit(two, checkpoint, 1);
    for (String name : BertLayout.shapes(two).keySet()) {
      assertSame(checkpoint.get(name), fitted.tensors().get(name), name);
    }
    List<String> layerTwo =
        checkpoint.keySet().stream().filter(n -> n.startsWith("bert.encoder.layer.2.")).toList();
    assertEquals(16, layerTwo.size());
    assertEquals(layerTwo, fitted.unused());
    assertEquals(
        List.of("bert.encoder.layer.2.*", "cls.predictions.*", "bert.embeddings.position_ids"),
        PretrainedWeights.grouped(
            List.of(
                "bert.encoder.layer.2.attention.self.query.weight",
                "cls.predictions.bias",
                "bert.encoder.layer.2.output.dense.bias",
                "cls.predictions.transform.dense.weight",
                "bert.embeddings.position_ids")));

    IllegalArgumentException more =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                PretrainedWeights.fit(
                    three.withOverrides(Map.of("num_hidden_layers", 4)), checkpoint, 1));
    assertTrue(more.getMessage().contains("num_hidden_layers: 4 layers"), more.getMessage());
  }
}
