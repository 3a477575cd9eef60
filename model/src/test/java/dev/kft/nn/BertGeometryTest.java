package dev.kft.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kft.checkpoint.BertConfig;
import dev.kft.checkpoint.BertLayout;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Our layout of bert-base-chinese has exactly the parameters Hugging Face counts. */
@Tag("unit")
class BertGeometryTest {

  private static final Path CONFIG = Path.of("..", "models", "bert-base-chinese", "config.json");

  @Test
  void bertBaseChineseHasHuggingFacesParameterCounts() throws Exception {
    BertConfig config = BertConfig.read(CONFIG).withLabels(List.of("negative", "positive"));
    assertEquals(21128, config.vocabSize());
    // transformers: BertModel 102,267,648; BertForSequenceClassification (2 labels) 102,269,186.
    assertEquals(102_267_648L, BertLayout.encoderParameterCount(config));
    assertEquals(102_269_186L, BertLayout.parameterCount(config));
  }

  @Test
  void relativePositionsAddOneDistanceTablePerLayer() throws Exception {
    BertConfig config =
        BertConfig.read(CONFIG)
            .withOverrides(Map.of("position_embedding_type", "relative_key"))
            .withLabels(List.of("negative", "positive"));
    // transformers' BertSelfAttention adds nn.Embedding(2 * 512 - 1, 64) to each of 12 layers.
    assertEquals(102_267_648L + 12 * 1023 * 64, BertLayout.encoderParameterCount(config));
    List<String> names = List.copyOf(BertLayout.shapes(config).keySet());
    String table = "bert.encoder.layer.0.attention.self.distance_embedding.weight";
    assertEquals(
        names.indexOf("bert.encoder.layer.0.attention.self.value.bias") + 1, names.indexOf(table));
    assertEquals("relative_key", config.toJson().get("position_embedding_type").asText());
  }

  @Test
  void unknownPositionEmbeddingTypeIsNamed() throws Exception {
    BertConfig config = BertConfig.read(CONFIG);
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> config.withOverrides(Map.of("position_embedding_type", "rotary")));
    assertTrue(e.getMessage().contains("position_embedding_type 'rotary'"), e.getMessage());
  }

  @Test
  void namesFollowTheStateDict() throws Exception {
    BertConfig config = BertConfig.read(CONFIG);
    List<String> names = List.copyOf(BertLayout.shapes(config).keySet());
    assertEquals("bert.embeddings.word_embeddings.weight", names.get(0));
    assertTrue(names.contains("bert.encoder.layer.11.attention.self.query.weight"));
    assertTrue(names.contains("bert.encoder.layer.0.attention.output.LayerNorm.bias"));
    assertEquals("classifier.bias", names.get(names.size() - 1));
    assertEquals(5 + 12 * 16 + 2 + 2, names.size());
  }

  @Test
  void configRoundTripsThroughJsonWithLabels() throws Exception {
    BertConfig config = BertConfig.read(CONFIG).withLabels(List.of("负面", "正面"));
    var json = config.toJson();
    assertEquals("正面", json.at("/id2label/1").asText());
    assertEquals(0, json.at("/label2id/负面").asInt());
    assertEquals("BertForSequenceClassification", json.at("/architectures/0").asText());
    assertEquals("bidi", json.get("directionality").asText(), "unknown keys are kept");
    assertEquals(json, BertConfig.parse(json).toJson(), "export, read, export is stable");
    assertEquals(config.labels(), BertConfig.parse(json).labels());
  }

  @Test
  void overridesShrinkTheModel() throws Exception {
    BertConfig tiny =
        BertConfig.read(CONFIG)
            .withOverrides(
                Map.of(
                    "num_hidden_layers",
                    2,
                    "hidden_size",
                    128,
                    "num_attention_heads",
                    2,
                    "intermediate_size",
                    512));
    assertEquals(2, tiny.numHiddenLayers());
    assertEquals(64, tiny.headSize());
    assertEquals(21128, tiny.vocabSize());
  }
}
