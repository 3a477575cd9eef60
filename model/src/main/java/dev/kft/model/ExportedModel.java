package dev.kft.model;

import ai.djl.ndarray.NDManager;
import dev.kft.checkpoint.BertConfig;
import dev.kft.checkpoint.ModelExport;
import dev.kft.checkpoint.ModelSource;
import dev.kft.checkpoint.PeftCheckpoint;
import dev.kft.checkpoint.PeftExport;
import dev.kft.checkpoint.SafeTensorsReader;
import dev.kft.checkpoint.TensorData;
import dev.kft.json.Json;
import dev.kft.nn.BertClassifier;
import dev.kft.nn.Precision;
import dev.kft.peft.Peft;
import dev.kft.peft.PeftMethod;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Loads a registered version's exported directory (Hugging Face layout) as a classifier: its {@code
 * model.safetensors}, which for full fine-tuning and LoRA holds every update, and for prompt tuning
 * and bottleneck adapters is the base that {@code adapter/} applies to. Its products are computed
 * in the precision its job trained in ({@link ModelExport#PRECISION}), as the evaluator computed
 * them.
 */
public final class ExportedModel {

  private ExportedModel() {}

  /**
   * Loads {@code dir} into {@code manager}.
   *
   * @throws UnsupportedOperationException when {@code adapter/} holds a kind of adapter kft does
   *     not know
   * @throws IOException when a file is missing or malformed
   */
  public static BertClassifier load(Path dir, NDManager manager) throws IOException {
    BertConfig config = BertConfig.read(dir.resolve(ModelSource.CONFIG));
    BertClassifier model = build(dir, config, manager);
    boolean bf16 =
        config.source().path(ModelExport.PRECISION).asText("").equals(Precision.BFLOAT16.id());
    model.computeIn(bf16 ? Precision.BFLOAT16 : Precision.FLOAT32);
    return model;
  }

  private static BertClassifier build(Path dir, BertConfig config, NDManager manager)
      throws IOException {
    Map<String, TensorData> weights;
    try (SafeTensorsReader reader = SafeTensorsReader.open(dir.resolve(ModelSource.WEIGHTS))) {
      weights = reader.readAll();
    }
    Path adapter = dir.resolve(PeftExport.DIRECTORY);
    if (!keptBeside(adapter)) {
      return BertClassifier.create(config, weights, manager);
    }
    PeftExport.Adapter read;
    try {
      read = PeftExport.read(adapter);
    } catch (IllegalArgumentException e) {
      throw new UnsupportedOperationException(e.getMessage(), e);
    }
    PeftMethod method =
        Peft.of(read.method(), config, null)
            .orElseThrow(() -> new IllegalArgumentException(adapter + ": no PEFT method"));
    String where = adapter.resolve(PeftCheckpoint.WEIGHTS).toString();
    return ModelLoader.adapted(config, weights, method, read.trained(), where, manager);
  }

  /** Whether {@code adapter} is there and applies over the weights rather than merged into them. */
  private static boolean keptBeside(Path adapter) throws IOException {
    Path config = adapter.resolve(PeftExport.CONFIG);
    if (!Files.isRegularFile(config)) {
      return false;
    }
    return !Json.mapper().readTree(config.toFile()).path("peft_type").asText("").equals("LORA");
  }
}
