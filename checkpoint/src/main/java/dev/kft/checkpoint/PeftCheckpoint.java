package dev.kft.checkpoint;

import dev.kft.io.Sha256;
import dev.kft.job.MethodSpec;
import dev.kft.json.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * The files that make a directory a PEFT checkpoint: {@code adapter_model.safetensors} with only
 * the trained tensors (the method's and the base tensors it trains, under kft's names) and {@code
 * kft_peft.json}, which names the method and the base model the tensors apply to, by identity and
 * by the sha256 of its weights.
 */
public final class PeftCheckpoint {

  public static final String WEIGHTS = "adapter_model.safetensors";
  public static final String MANIFEST = "kft_peft.json";

  /** The tensor of prompt tuning's virtual tokens, named as PEFT names it. */
  public static final String PROMPT = "prompt_embeddings";

  /**
   * The base model a checkpoint applies to.
   *
   * @param source the job's {@code model.source} (identity, for people and exports)
   * @param path the base model directory, relative to the checkpoint directory
   * @param sha256 sha256 of the base's {@code model.safetensors}
   */
  public record Base(String source, String path, String sha256) {}

  /** What {@code kft_peft.json} holds. */
  public record Manifest(MethodSpec method, Base base) {}

  private PeftCheckpoint() {}

  /** Writes the manifest and the trained tensors into {@code dir}. */
  public static void write(Path dir, Manifest manifest, Map<String, TensorData> trained)
      throws IOException {
    Files.createDirectories(dir);
    Json.mapper()
        .writerWithDefaultPrettyPrinter()
        .writeValue(dir.resolve(MANIFEST).toFile(), manifest);
    SafeTensorsWriter.write(dir.resolve(WEIGHTS), trained, Map.of("format", "pt"));
  }

  /** The manifest of {@code dir}, or empty when it is not a PEFT checkpoint. */
  public static Optional<Manifest> read(Path dir) throws IOException {
    Path file = dir.resolve(MANIFEST);
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    return Optional.of(Json.mapper().readValue(file.toFile(), Manifest.class));
  }

  /**
   * The file a checkpoint's announced sha256 and size describe: a PEFT checkpoint's trained
   * tensors, or any other's {@code model.safetensors}.
   */
  public static Path weightsOf(Path checkpoint) {
    Path peft = checkpoint.resolve(WEIGHTS);
    return Files.isRegularFile(peft) ? peft : checkpoint.resolve(ModelSource.WEIGHTS);
  }

  /** The trained tensors of a PEFT checkpoint. */
  public static Map<String, TensorData> tensors(Path dir) throws IOException {
    try (SafeTensorsReader reader = SafeTensorsReader.open(dir.resolve(WEIGHTS))) {
      return reader.readAll();
    }
  }

  /**
   * The base directory of a checkpoint, checked against its recorded sha256.
   *
   * @throws IOException when the base is missing or its weights changed
   */
  public static Path base(Path dir, Manifest manifest) throws IOException {
    Path base = dir.resolve(manifest.base().path()).normalize();
    Path weights = base.resolve(ModelSource.WEIGHTS);
    if (!Files.isRegularFile(weights)) {
      throw new IOException(
          "PEFT checkpoint " + dir + " needs its base model at " + base + ", which is missing");
    }
    String sha256 = Sha256.file(weights);
    if (!sha256.equals(manifest.base().sha256())) {
      throw new IOException(
          "base model "
              + base
              + " has weights sha256 "
              + sha256
              + ", the checkpoint was trained on "
              + manifest.base().sha256());
    }
    return base;
  }
}
