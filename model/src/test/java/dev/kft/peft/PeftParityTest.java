package dev.kft.peft;

import static dev.kft.nn.BertParityTest.flatten;
import static dev.kft.nn.BertParityTest.inputsJson;
import static dev.kft.nn.BertParityTest.maxAbsDiff;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import dev.kft.batch.TokenizedBatch;
import dev.kft.checkpoint.BertConfig;
import dev.kft.checkpoint.BertInit;
import dev.kft.checkpoint.PeftExport;
import dev.kft.checkpoint.SafeTensorsWriter;
import dev.kft.checkpoint.TensorData;
import dev.kft.job.AdapterSpec;
import dev.kft.job.AdapterType;
import dev.kft.job.LoraBias;
import dev.kft.job.LoraSpec;
import dev.kft.job.MethodSpec;
import dev.kft.job.MethodType;
import dev.kft.job.PromptTuningSpec;
import dev.kft.job.TargetModules;
import dev.kft.json.Json;
import dev.kft.model.ExportedModel;
import dev.kft.nn.BertClassifier;
import dev.kft.nn.DropoutMasks;
import dev.kft.nn.ModelInputs;
import dev.kft.nn.TinyBert;
import dev.kft.testing.PythonReference;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each method's forward pass equals an independent PyTorch implementation of its published
 * definition, which reads our adapter export with PEFT's tensor names; and merged LoRA weights give
 * the logits of the unmerged model. Prompt tuning and bottleneck adapters loaded back from the
 * export (base beside {@code adapter/}) give the reference's logits too.
 */
@Tag("unit")
class PeftParityTest {

  private static final BertConfig CONFIG = TinyBert.config(300, 32, 2, 4, 3, 0.05);
  private static final TokenizedBatch BATCH = TinyBert.batch(4, 10, 300, 7);

  @TempDir Path dir;

  @Test
  @Tag("parity")
  void loraMatchesPyTorch() throws Exception {
    LoraSpec spec =
        new LoraSpec(
            4,
            16.0,
            0.1,
            TargetModules.of("query", "value", "dense"),
            LoraBias.LORA_ONLY,
            List.of("classifier"),
            false);
    check(new MethodSpec(MethodType.LORA, spec, null, null), new Lora(spec, CONFIG));
  }

  @Test
  @Tag("parity")
  void rsLoraMatchesPyTorch() throws Exception {
    LoraSpec spec =
        new LoraSpec(
            4, 8.0, 0.0, new TargetModules(List.of(), "all-linear"), LoraBias.NONE, null, true);
    check(new MethodSpec(MethodType.LORA, spec, null, null), new Lora(spec, CONFIG));
  }

  @Test
  @Tag("parity")
  void bottleneckAdaptersMatchPyTorch() throws Exception {
    AdapterSpec spec = new AdapterSpec(AdapterType.HOULSBY, 8);
    check(
        new MethodSpec(MethodType.ADAPTER, null, spec, null), new BottleneckAdapters(spec, CONFIG));
  }

  @Test
  @Tag("parity")
  void promptTuningMatchesPyTorch() throws Exception {
    PromptTuningSpec spec = new PromptTuningSpec(6, null, null);
    check(
        new MethodSpec(MethodType.PROMPT_TUNING, null, null, spec),
        new PromptTuning(spec, CONFIG, null));
  }

  @Test
  void mergedLoraWeightsGiveTheSameLogits() throws Exception {
    LoraSpec spec =
        new LoraSpec(
            8, 32.0, 0.0, TargetModules.of("query", "value", "dense"), LoraBias.NONE, null, false);
    Lora lora = new Lora(spec, CONFIG);
    Map<String, TensorData> base = BertInit.random(CONFIG, 5);
    Map<String, TensorData> added = perturbed(lora.init(5, base::get));
    Map<String, TensorData> all = new LinkedHashMap<>(base);
    all.putAll(added);
    float[] adapted = logits(base, lora, added);
    float[] merged = logits(lora.merge(all), null, null);
    double diff = maxAbsDiff(adapted, merged);
    System.out.printf("LoRA merge: max |Δlogit| %.3g%n", diff);
    assertTrue(diff <= 1e-5, "max |Δlogit| = " + diff);
    assertTrue(maxAbsDiff(adapted, logits(base, null, null)) > 1e-2, "the update changes logits");
  }

  /** Our logits against the reference's, with every trained tensor away from its initial value. */
  private void check(MethodSpec method, PeftMethod peft) throws Exception {
    Map<String, TensorData> base = BertInit.random(CONFIG, 11);
    Map<String, TensorData> added = perturbed(peft.init(11, base::get));
    Map<String, TensorData> trainedBase = new LinkedHashMap<>();
    base.forEach(
        (name, t) -> {
          if (peft.trainsBase(name)) {
            trainedBase.put(name, perturbed(Map.of(name, t)).get(name));
          }
        });
    Map<String, TensorData> withTrained = new LinkedHashMap<>(base);
    withTrained.putAll(trainedBase);
    float[] ours = logits(withTrained, peft, added);

    SafeTensorsWriter.write(dir.resolve("base.safetensors"), base, Map.of("format", "pt"));
    Files.writeString(dir.resolve("config.json"), CONFIG.toJson().toString());
    Files.writeString(dir.resolve("inputs.json"), inputsJson(BATCH));
    Map<String, TensorData> trained = new LinkedHashMap<>(added);
    trained.putAll(trainedBase);
    PeftExport.write(dir.resolve("adapter"), method, CONFIG, "tiny-base", trained);
    float[] reference =
        flatten(
            Json.mapper()
                .readTree(
                    PythonReference.run(
                        "peft_reference.py",
                        dir,
                        "config.json",
                        "base.safetensors",
                        "adapter",
                        "inputs.json"))
                .get("logits"));
    double diff = maxAbsDiff(ours, reference);
    System.out.printf("%s parity: max |Δlogit| %.3g%n", method.type(), diff);
    assertTrue(diff <= 1e-4, "max |Δlogit| = " + diff);
    assertTrue(maxAbsDiff(ours, logits(base, null, null)) > 1e-2, "the method changes the logits");
    if (method.type() != MethodType.LORA) {
      // as the registry exports it: the base beside adapter/
      SafeTensorsWriter.write(dir.resolve("model.safetensors"), base, Map.of("format", "pt"));
      double exported = maxAbsDiff(exportedLogits(), reference);
      System.out.printf("%s export loaded: max |Δlogit| %.3g%n", method.type(), exported);
      assertTrue(exported <= 1e-4, "loaded from the export: max |Δlogit| = " + exported);
    }
  }

  private float[] exportedLogits() throws Exception {
    try (NDManager manager = NDManager.newBaseManager();
        BertClassifier model = ExportedModel.load(dir, manager);
        NDManager step = manager.newSubManager()) {
      return model.forward(ModelInputs.of(step, BATCH), DropoutMasks.NONE).logits().toFloatArray();
    }
  }

  private static float[] logits(
      Map<String, TensorData> base, PeftMethod peft, Map<String, TensorData> added) {
    try (NDManager manager = NDManager.newBaseManager();
        BertClassifier model = BertClassifier.create(CONFIG, base, manager);
        NDManager step = manager.newSubManager()) {
      if (peft != null) {
        model.extend(added, peft::bind);
      }
      return model.forward(ModelInputs.of(step, BATCH), DropoutMasks.NONE).logits().toFloatArray();
    }
  }

  /** The tensors plus normal(0, 0.2) noise, so zero-initialised ones matter too. */
  private static Map<String, TensorData> perturbed(Map<String, TensorData> tensors) {
    SplittableRandom random = new SplittableRandom(tensors.keySet().hashCode());
    Map<String, TensorData> out = new LinkedHashMap<>();
    tensors.forEach(
        (name, t) -> {
          float[] values = t.values().clone();
          for (int i = 0; i < values.length; i++) {
            values[i] += (float) (0.2 * BertInit.gaussian(random));
          }
          out.put(name, new TensorData(t.shape(), values));
        });
    return out;
  }
}
