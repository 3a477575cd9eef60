package dev.kft.testing;

import dev.kft.checkpoint.BertConfig;
import dev.kft.checkpoint.BertInit;
import dev.kft.checkpoint.CheckpointDataset;
import dev.kft.checkpoint.ModelExport;
import dev.kft.checkpoint.TensorData;
import dev.kft.events.DatasetPrepared;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes checkpoint directories as the trainer does (Hugging Face layout plus the job's {@link
 * DatasetPrepared}) for a one-layer, hidden-16 member of the bert-base-chinese family, so evaluator
 * and registry tests need no training run.
 */
public final class TinyCheckpoint {

  /** Hidden size of the tiny model. */
  public static final int HIDDEN = 16;

  private TinyCheckpoint() {}

  /**
   * Writes a checkpoint at {@code dir} unless one is there.
   *
   * @param modelDir a directory with the family's {@code config.json} and tokenizer files
   * @param bias when given, the classifier's weights are zero and its bias this, so that every
   *     input gets the logits {@code bias}; otherwise the head is random like the rest
   */
  public static void write(
      Path dir, Path modelDir, DatasetPrepared prepared, long seed, float[] bias)
      throws IOException {
    if (Files.exists(dir)) {
      return;
    }
    List<String> labels = prepared.labelNames();
    BertConfig config =
        BertConfig.read(modelDir.resolve("config.json"))
            .withOverrides(
                Map.of(
                    "num_hidden_layers", 1,
                    "hidden_size", HIDDEN,
                    "num_attention_heads", 2,
                    "intermediate_size", 32))
            .withLabels(labels);
    Map<String, TensorData> weights = new HashMap<>(BertInit.random(config, seed));
    if (bias != null) {
      weights.put(
          "classifier.weight",
          new TensorData(new long[] {labels.size(), HIDDEN}, new float[labels.size() * HIDDEN]));
      weights.put("classifier.bias", new TensorData(new long[] {labels.size()}, bias));
    }
    ModelExport.write(config, weights, modelDir, dir);
    CheckpointDataset.write(dir, prepared);
  }
}
