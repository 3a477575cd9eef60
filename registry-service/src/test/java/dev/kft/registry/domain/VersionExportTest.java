package dev.kft.registry.domain;

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
import dev.kft.checkpoint.PeftCheckpoint;
import dev.kft.checkpoint.SafeTensorsReader;
import dev.kft.checkpoint.TensorData;
import dev.kft.io.ConfinedPaths;
import dev.kft.io.Sha256;
import dev.kft.job.LoraBias;
import dev.kft.job.LoraSpec;
import dev.kft.job.MethodSpec;
import dev.kft.job.MethodType;
import dev.kft.job.PromptTuningSpec;
import dev.kft.job.SaveDtype;
import dev.kft.job.TargetModules;
import dev.kft.json.Json;
import dev.kft.model.ModelLoader;
import dev.kft.nn.BertClassifier;
import dev.kft.nn.DropoutMasks;
import dev.kft.nn.ModelInputs;
import dev.kft.peft.Lora;
import dev.kft.peft.PeftMethod;
import dev.kft.peft.PromptTuning;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Exports of PEFT checkpoints: a LoRA version's merged {@code model.safetensors}, run as a plain
 * model, gives the logits the adapted checkpoint gives; a prompt-tuning version ships its base
 * unchanged beside the adapter; a changed base is refused.
 */
@Tag("unit")
class VersionExportTest {

  private static final Path TOKENIZER_DIR = Path.of("..", "models", "bert-base-chinese");

  @TempDir Path dir;

  private BertConfig config() throws IOException {
    return BertConfig.read(TOKENIZER_DIR.resolve("config.json"))
        .withOverrides(
            Map.of(
                "num_hidden_layers", 2,
                "hidden_size", 32,
                "num_attention_heads", 2,
                "intermediate_size", 64))
        .withLabels(List.of("neg", "pos"));
  }

  /** A checkpoint of {@code method} with trained-looking (random, non-zero) tensors. */
  private Path checkpoint(MethodSpec spec, PeftMethod method) throws IOException {
    BertConfig config = config();
    Path base = dir.resolve("artifacts/.bases/b");
    Map<String, TensorData> weights = BertInit.random(config, 3);
    try (NDManager manager = NDManager.newBaseManager();
        BertClassifier model = BertClassifier.create(config, weights, manager)) {
      ModelExport.write(model.config(), model.toTensors(), TOKENIZER_DIR, base);
      Path checkpoint = dir.resolve("artifacts/job/checkpoint-4");
      ModelExport.writeWithoutWeights(model.config(), TOKENIZER_DIR, checkpoint);
      SplittableRandom random = new SplittableRandom(8);
      Map<String, TensorData> trained = new LinkedHashMap<>();
      method.init(3, weights::get).forEach((name, t) -> trained.put(name, noise(t, random)));
      weights.forEach(
          (name, t) -> {
            if (method.trainsBase(name)) {
              trained.put(name, noise(t, random));
            }
          });
      PeftCheckpoint.write(
          checkpoint,
          new PeftCheckpoint.Manifest(
              spec,
              new PeftCheckpoint.Base(
                  "bert-base-chinese",
                  "../../.bases/b",
                  Sha256.file(base.resolve(ModelSource.WEIGHTS)))),
          trained);
      return checkpoint;
    }
  }

  private static TensorData noise(TensorData t, SplittableRandom random) {
    float[] values = t.values().clone();
    for (int i = 0; i < values.length; i++) {
      values[i] += (float) (0.1 * BertInit.gaussian(random));
    }
    return new TensorData(t.shape(), values);
  }

  private float[] logits(Path model) throws IOException {
    TokenizedBatch batch =
        new TokenizedBatch(
            "j",
            Split.TEST,
            0,
            2,
            4,
            new int[] {101, 1962, 6397, 102, 101, 2523, 102, 0},
            new byte[] {1, 1, 1, 1, 1, 1, 1, 0},
            null,
            new int[] {1, 0},
            new int[2]);
    ModelLoader loader =
        new ModelLoader(
            new ModelSource(
                new ConfinedPaths(List.of(dir)),
                new HubClient(URI.create("http://127.0.0.1:9"), dir, true, Optional.empty())));
    try (NDManager manager = NDManager.newBaseManager();
        NDManager step = manager.newSubManager()) {
      BertClassifier m =
          loader
              .load(
                  new ModelLoader.Request(model.toString(), true, Map.of(), List.of(), 0), manager)
              .model();
      return m.forward(ModelInputs.of(step, batch), DropoutMasks.NONE).logits().toFloatArray();
    }
  }

  @Test
  void aLoraVersionIsTheMergedModelWithThePeftAdapterBeside() throws Exception {
    LoraSpec lora =
        new LoraSpec(
            4, 16.0, 0.0, TargetModules.of("query", "value", "dense"), LoraBias.ALL, null, false);
    Path checkpoint =
        checkpoint(new MethodSpec(MethodType.LORA, lora, null, null), new Lora(lora, config()));
    Path target = dir.resolve("registry/m/1");
    String announced = Sha256.file(checkpoint.resolve(PeftCheckpoint.WEIGHTS));
    VersionExport.Exported exported =
        VersionExport.write(
            checkpoint,
            target,
            announced,
            "card",
            Map.of(),
            VersionExport.Format.float32(64),
            null);

    float[] adapted = logits(checkpoint);
    float[] merged = logits(target);
    double diff = 0;
    for (int i = 0; i < adapted.length; i++) {
      diff = Math.max(diff, Math.abs(adapted[i] - merged[i]));
    }
    assertTrue(diff <= 1e-5, "merged vs adapted: max |Δlogit| " + diff);
    assertEquals(exported.sha256(), Sha256.file(target.resolve(ModelSource.WEIGHTS)));
    assertEquals(
        64,
        Json.mapper()
            .readTree(target.resolve(VersionExport.TOKENIZER_CONFIG).toFile())
            .path("model_max_length")
            .asInt(),
        "a pipeline truncates as the job did");
    assertTrue(Files.isRegularFile(target.resolve("adapter/adapter_config.json")));
    try (SafeTensorsReader reader =
        SafeTensorsReader.open(target.resolve("adapter/" + PeftCheckpoint.WEIGHTS))) {
      assertTrue(
          reader
              .entries()
              .containsKey(
                  "base_model.model.bert.encoder.layer.0.attention.self.query.lora_A.weight"));
    }
  }

  /**
   * {@code save_dtype: bfloat16}: the export's weights and adapter are bfloat16, each within half a
   * bfloat16 step of the float32 export's, and config.json names the type and the job's precision.
   */
  @Test
  void aBfloat16ExportRoundsEveryWeightOnce() throws Exception {
    LoraSpec lora = new LoraSpec(4, 16.0, 0.0, null, null, null, false);
    Path checkpoint =
        checkpoint(new MethodSpec(MethodType.LORA, lora, null, null), new Lora(lora, config()));
    String announced = Sha256.file(checkpoint.resolve(PeftCheckpoint.WEIGHTS));
    Path wide = dir.resolve("registry/m/1");
    Path narrow = dir.resolve("registry/m/2");
    VersionExport.write(
        checkpoint, wide, announced, "card", Map.of(), VersionExport.Format.float32(64), null);
    VersionExport.Exported exported =
        VersionExport.write(
            checkpoint,
            narrow,
            announced,
            "card",
            Map.of(),
            new VersionExport.Format(64, SaveDtype.BFLOAT16, "bf16"),
            null);
    assertEquals(exported.sha256(), Sha256.file(narrow.resolve(ModelSource.WEIGHTS)));
    JsonNode config = Json.mapper().readTree(narrow.resolve(ModelSource.CONFIG).toFile());
    assertEquals("bfloat16", config.path("torch_dtype").asText());
    assertEquals("bf16", config.path(ModelExport.PRECISION).asText());
    for (String file : List.of(ModelSource.WEIGHTS, "adapter/" + PeftCheckpoint.WEIGHTS)) {
      try (SafeTensorsReader f32 = SafeTensorsReader.open(wide.resolve(file));
          SafeTensorsReader bf16 = SafeTensorsReader.open(narrow.resolve(file))) {
        assertEquals(f32.entries().keySet(), bf16.entries().keySet());
        for (String name : f32.entries().keySet()) {
          assertEquals("BF16", bf16.entries().get(name).dtype(), name);
          float[] exact = f32.read(name).values();
          float[] rounded = bf16.read(name).values();
          for (int i = 0; i < exact.length; i++) {
            // 8 significant bits: rounding moves a value by at most 2^-8 of it (the unit roundoff)
            assertTrue(
                Math.abs(exact[i] - rounded[i]) <= Math.abs(exact[i]) * 0x1p-8,
                name + "[" + i + "]: " + exact[i] + " became " + rounded[i]);
          }
        }
      }
    }
    assertTrue(
        Files.size(narrow.resolve(ModelSource.WEIGHTS))
            < 0.55 * Files.size(wide.resolve(ModelSource.WEIGHTS)),
        "half the bytes");
  }

  @Test
  void aPromptTuningVersionShipsItsBaseUnchanged() throws Exception {
    PromptTuningSpec prompt = new PromptTuningSpec(3, null, null);
    Path checkpoint =
        checkpoint(
            new MethodSpec(MethodType.PROMPT_TUNING, null, null, prompt),
            new PromptTuning(prompt, config(), null));
    Path target = dir.resolve("registry/p/1");
    VersionExport.write(
        checkpoint,
        target,
        Sha256.file(checkpoint.resolve(PeftCheckpoint.WEIGHTS)),
        "card",
        Map.of(),
        VersionExport.Format.float32(64),
        null);
    assertArrayEquals(
        Files.readAllBytes(dir.resolve("artifacts/.bases/b").resolve(ModelSource.WEIGHTS)),
        Files.readAllBytes(target.resolve(ModelSource.WEIGHTS)));
    assertTrue(
        Files.readString(target.resolve("adapter/adapter_config.json")).contains("PROMPT_TUNING"));
  }

  @Test
  void aChangedBaseIsRefused() throws Exception {
    LoraSpec lora = new LoraSpec(null, null, null, null, null, null, null);
    Path checkpoint =
        checkpoint(new MethodSpec(MethodType.LORA, lora, null, null), new Lora(lora, config()));
    Path weights = dir.resolve("artifacts/.bases/b").resolve(ModelSource.WEIGHTS);
    byte[] bytes = Files.readAllBytes(weights);
    bytes[bytes.length - 1] ^= 1;
    Files.write(weights, bytes);
    IOException e =
        assertThrows(
            IOException.class,
            () ->
                VersionExport.write(
                    checkpoint,
                    dir.resolve("registry/x/1"),
                    Sha256.file(checkpoint.resolve(PeftCheckpoint.WEIGHTS)),
                    "card",
                    Map.of(),
                    VersionExport.Format.float32(64),
                    null));
    assertTrue(e.getMessage().contains("the checkpoint was trained on"), e.getMessage());
  }
}
