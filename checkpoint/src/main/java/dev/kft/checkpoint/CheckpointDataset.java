package dev.kft.checkpoint;

import dev.kft.events.CheckpointSaved;
import dev.kft.events.DatasetPrepared;
import dev.kft.json.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The job's {@link DatasetPrepared} kept inside each checkpoint directory ({@value
 * CheckpointSaved#DATASET_FILE}): written by the trainer, read by the evaluator and the registry.
 */
public final class CheckpointDataset {

  private CheckpointDataset() {}

  public static void write(Path checkpoint, DatasetPrepared prepared) throws IOException {
    Json.mapper()
        .writerWithDefaultPrettyPrinter()
        .writeValue(checkpoint.resolve(CheckpointSaved.DATASET_FILE).toFile(), prepared);
  }

  /**
   * @throws IOException naming the checkpoint when it holds no dataset report
   */
  public static DatasetPrepared read(Path checkpoint) throws IOException {
    Path file = checkpoint.resolve(CheckpointSaved.DATASET_FILE);
    if (!Files.isRegularFile(file)) {
      throw new IOException("checkpoint " + checkpoint + " has no " + CheckpointSaved.DATASET_FILE);
    }
    return Json.mapper().readValue(file.toFile(), DatasetPrepared.class);
  }
}
