package dev.kft.peft;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.kft.checkpoint.BertConfig;
import dev.kft.checkpoint.BertInit;
import dev.kft.checkpoint.BertLayout;
import dev.kft.checkpoint.LoraLayout;
import dev.kft.checkpoint.PeftCheckpoint;
import dev.kft.checkpoint.TensorData;
import dev.kft.events.ParameterCount;
import dev.kft.job.AdapterSpec;
import dev.kft.job.AdapterType;
import dev.kft.job.LoraBias;
import dev.kft.job.LoraSpec;
import dev.kft.job.MethodSpec;
import dev.kft.job.MethodType;
import dev.kft.job.PromptTuningInit;
import dev.kft.job.PromptTuningSpec;
import dev.kft.job.TargetModules;
import dev.kft.nn.BertClassifier;
import dev.kft.nn.TinyBert;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Parameter counts of every method against numbers known from Hugging Face PEFT and formulas
 * derived by hand, at the real bert-base-chinese geometry; and the counts the methods report equal
 * what a built model really holds and trains.
 */
@Tag("unit")
class PeftGeometryTest {

  /** bert-base-chinese with two labels: vocab 21128, hidden 768, 12 layers, FFN 3072. */
  private static BertConfig bertBaseChinese() throws Exception {
    return BertConfig.read(Path.of("../models/bert-base-chinese/config.json"))
        .withLabels(List.of("negative", "positive"));
  }

  @Test
  void loraCountsAreThoseHuggingFacePeftReports() throws Exception {
    // LoraConfig(r=8, lora_alpha=32, target_modules=["query", "value"], lora_dropout=0.1,
    // bias="none", task SEQ_CLS with nothing saved besides LoRA): PEFT's
    // print_trainable_parameters() says 294,912 trainable of 102,564,098.
    LoraSpec spec =
        new LoraSpec(
            8, 32.0, 0.1, TargetModules.of("query", "value"), LoraBias.NONE, List.of(), false);
    ParameterCount count = new Lora(spec, bertBaseChinese()).count(bertBaseChinese());
    assertEquals(294_912, count.trainable());
    assertEquals(102_564_098, count.total());
    assertEquals(
        "trainable params: 294,912 || all params: 102,564,098 || trainable%: 0.2875",
        count.toString());
  }

  @Test
  void adapterCountsFollowTheBottleneckFormula() throws Exception {
    BertConfig c = bertBaseChinese();
    long base = 102_269_186; // 102,564,098 - 294,912
    long head = 768 * 2 + 2;
    // one adapter: down (768·48 + 48) + up (48·768 + 768), with 48 = 768 / 16
    long adapter = 768 * 48 + 48 + 48 * 768 + 768;
    assertEquals(74_544, adapter);
    ParameterCount pfeiffer =
        new BottleneckAdapters(new AdapterSpec(AdapterType.PFEIFFER, 16), c).count(c);
    assertEquals(12 * adapter + head, pfeiffer.trainable());
    assertEquals(base + 12 * adapter, pfeiffer.total());
    ParameterCount houlsby =
        new BottleneckAdapters(new AdapterSpec(AdapterType.HOULSBY, 16), c).count(c);
    assertEquals(24 * adapter + head, houlsby.trainable());
    assertEquals(base + 24 * adapter, houlsby.total());
  }

  @Test
  void promptTuningCountsTheVirtualTokensAndTheHead() throws Exception {
    BertConfig c = bertBaseChinese();
    // 20 virtual tokens of width 768, plus the classifier (768·2 + 2)
    ParameterCount count = new PromptTuning(new PromptTuningSpec(20, null, null), c, null).count(c);
    assertEquals(20 * 768 + 1_538, count.trainable());
    assertEquals(102_269_186 + 20 * 768, count.total());
  }

  @Test
  void loraTargetsMatchAsPeftMatchesModuleNames() throws Exception {
    BertConfig c = bertBaseChinese();
    assertEquals(24, LoraLayout.targets(TargetModules.of("query", "value"), c).size());
    // "dense" ends attention.output.dense, intermediate.dense, output.dense and the pooler's
    assertEquals(37, LoraLayout.targets(TargetModules.of("dense"), c).size());
    // every linear module but the classifier: 6 per layer and the pooler
    assertEquals(73, LoraLayout.targets(new TargetModules(List.of(), "all-linear"), c).size());
    assertEquals(
        List.of("bert.encoder.layer.11.attention.self.key"),
        LoraLayout.targets(new TargetModules(List.of(), ".*\\.11\\..*key"), c));
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                new Lora(
                    new LoraSpec(null, null, null, TargetModules.of("query"), null, null, null),
                    TinyBert.config(50, 16, 0, 2, 2, 0.02)));
    assertTrue(e.getMessage().startsWith("method.lora.target_modules"), e.getMessage());
  }

  @Test
  void reportedCountsEqualWhatABuiltModelHoldsAndTrains() throws Exception {
    BertConfig c = TinyBert.config(120, 32, 2, 4, 3, 0.02);
    List<PeftMethod> methods =
        List.of(
            new Lora(
                new LoraSpec(
                    4,
                    8.0,
                    0.0,
                    TargetModules.of("query", "value"),
                    LoraBias.LORA_ONLY,
                    null,
                    false),
                c),
            new BottleneckAdapters(new AdapterSpec(AdapterType.HOULSBY, 4), c),
            new PromptTuning(new PromptTuningSpec(5, null, null), c, null));
    for (PeftMethod method : methods) {
      try (NDManager manager = NDManager.newBaseManager();
          BertClassifier model = BertClassifier.create(c, BertInit.random(c, 3), manager)) {
        model.extend(method.init(3, name -> null), method::bind);
        long trainable = model.requireGradients(method::trains);
        long all = model.parameters().values().stream().mapToLong(NDArray::size).sum();
        assertEquals(new ParameterCount(trainable, all), method.count(c), method.toString());
      }
    }
  }

  @Test
  void textInitCopiesTheInitTextsWordEmbeddingsRepeatedToTheTokenCount() throws Exception {
    BertConfig c = TinyBert.config(21128, 4, 1, 2, 2, 0.02);
    PromptTuningSpec spec = new PromptTuningSpec(6, PromptTuningInit.TEXT, "好评");
    PromptTuning prompt =
        (PromptTuning)
            Peft.of(
                    new MethodSpec(MethodType.PROMPT_TUNING, null, null, spec),
                    c,
                    Path.of("../models/bert-base-chinese/tokenizer.json"))
                .orElseThrow();
    TensorData table = BertInit.random(c, 1).get(BertLayout.WORD_EMBEDDINGS);
    float[] values = prompt.init(1, name -> table).get(PeftCheckpoint.PROMPT).values();
    // [CLS] 好 评 [SEP] in bert-base-chinese's vocabulary, then again from the start
    int[] ids = {101, 1962, 6397, 102, 101, 1962};
    for (int t = 0; t < ids.length; t++) {
      float[] row = java.util.Arrays.copyOfRange(values, t * 4, t * 4 + 4);
      float[] expected = java.util.Arrays.copyOfRange(table.values(), ids[t] * 4, ids[t] * 4 + 4);
      assertArrayEquals(expected, row, "virtual token " + t);
    }
  }
}
