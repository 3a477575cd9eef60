package dev.kft.registry.domain;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kft.checkpoint.BertConfig;
import dev.kft.checkpoint.LoraLayout;
import dev.kft.checkpoint.ModelExport;
import dev.kft.checkpoint.ModelSource;
import dev.kft.checkpoint.PeftCheckpoint;
import dev.kft.checkpoint.PeftExport;
import dev.kft.checkpoint.SafeTensorsReader;
import dev.kft.checkpoint.SafeTensorsWriter;
import dev.kft.checkpoint.TensorData;
import dev.kft.io.FileTrees;
import dev.kft.io.Sha256;
import dev.kft.job.MethodType;
import dev.kft.job.SaveDtype;
import dev.kft.json.Json;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Assembles a registered version's Hugging Face-layout directory from its checkpoint ({@code
 * config.json} with the label maps, {@code model.safetensors}, tokenizer files, a {@code README.md}
 * model card), checks the weights against the sha256 the trainer announced, and packs the directory
 * into a reproducible zip archive (sorted entries, fixed timestamps) for download.
 *
 * <p>A PEFT checkpoint also gets {@code adapter/}, its trained tensors in PEFT's layout ({@link
 * PeftExport}); its {@code model.safetensors} is then the LoRA updates merged into the base, or for
 * methods that cannot be merged the base the adapter applies to.
 */
public final class VersionExport {

  /**
   * The export.
   *
   * @param sha256 sha256 of {@code model.safetensors}
   * @param sizeBytes bytes of {@code model.safetensors}
   * @param archiveSha256 sha256 of the zip archive, sent with every download
   */
  public record Exported(
      Path directory, String sha256, long sizeBytes, Path archive, String archiveSha256) {}

  /**
   * How a version is written.
   *
   * @param maxLength the tokens per example the job trained and evaluated with: {@code
   *     model_max_length} of {@code tokenizer_config.json}, so that a pipeline truncates as they
   *     did
   * @param dtype the weights' element type ({@code torch_dtype} of {@code config.json})
   * @param precision the precision the job trained and was evaluated in ({@link
   *     ModelExport#PRECISION} of {@code config.json}), so that predictions are computed as the
   *     evaluator computed them
   */
  public record Format(int maxLength, SaveDtype dtype, String precision) {

    /** float32 weights of a float32 job. */
    public static Format float32(int maxLength) {
      return new Format(maxLength, SaveDtype.FLOAT32, "float32");
    }
  }

  /** The tokenizer settings file of Hugging Face's layout. */
  public static final String TOKENIZER_CONFIG = "tokenizer_config.json";

  /** The evaluator's per-example predictions on the test split, in an export. */
  public static final String TEST_PREDICTIONS = "test_predictions.jsonl";

  private static final FileTime EPOCH = FileTime.fromMillis(0);

  private VersionExport() {}

  /**
   * Writes {@code target} (a directory) and {@code target.zip}.
   *
   * @param pictures the card's pictures by file name, written beside it
   * @param testPredictions the evaluator's per-example predictions on the test split, kept as
   *     {@value #TEST_PREDICTIONS}; or null
   * @throws IOException when a file is missing or the weights' sha256 is not {@code expectedSha256}
   */
  public static Exported write(
      Path checkpoint,
      Path target,
      String expectedSha256,
      String card,
      Map<String, String> pictures,
      Format format,
      Path testPredictions)
      throws IOException {
    Path temp = target.resolveSibling(".tmp-" + target.getFileName());
    FileTrees.delete(temp);
    Files.createDirectories(temp);
    List<String> names = new ArrayList<>(List.of(ModelSource.CONFIG, ModelSource.WEIGHTS));
    names.add(ModelSource.TOKENIZER);
    names.addAll(ModelSource.TOKENIZER_EXTRAS);
    Optional<PeftCheckpoint.Manifest> peft = PeftCheckpoint.read(checkpoint);
    if (peft.isPresent()) {
      names.remove(ModelSource.WEIGHTS);
      String adapterSha256 = Sha256.file(checkpoint.resolve(PeftCheckpoint.WEIGHTS));
      if (!adapterSha256.equals(expectedSha256)) {
        throw new IOException(
            "adapter weights sha256 is "
                + adapterSha256
                + ", the checkpoint announced "
                + expectedSha256);
      }
      peft(checkpoint, peft.get(), temp);
    }
    for (String name : names) {
      Path from = checkpoint.resolve(name);
      boolean required = name.equals(ModelSource.CONFIG) || name.equals(ModelSource.WEIGHTS);
      if (Files.isRegularFile(from)) {
        Files.copy(from, temp.resolve(name));
      } else if (required) {
        throw new IOException("checkpoint " + checkpoint + " has no " + name);
      }
    }
    Path weights = temp.resolve(ModelSource.WEIGHTS);
    if (peft.isEmpty() && !Sha256.file(weights).equals(expectedSha256)) {
      throw new IOException(
          "weights sha256 is "
              + Sha256.file(weights)
              + ", the checkpoint announced "
              + expectedSha256);
    }
    tokenizerConfig(temp.resolve(TOKENIZER_CONFIG), format.maxLength());
    modelConfig(temp.resolve(ModelSource.CONFIG), format);
    if (format.dtype() != SaveDtype.FLOAT32) {
      narrow(weights, format.dtype());
      Path adapter = temp.resolve(PeftExport.DIRECTORY).resolve(PeftCheckpoint.WEIGHTS);
      if (Files.isRegularFile(adapter)) {
        narrow(adapter, format.dtype());
      }
    }
    if (testPredictions != null) {
      Files.copy(testPredictions, temp.resolve(TEST_PREDICTIONS));
    }
    Files.writeString(temp.resolve("README.md"), card, StandardCharsets.UTF_8);
    for (Map.Entry<String, String> picture : pictures.entrySet()) {
      Files.writeString(temp.resolve(picture.getKey()), picture.getValue(), StandardCharsets.UTF_8);
    }
    String sha256 = Sha256.file(weights);
    long size = Files.size(weights);
    FileTrees.delete(target);
    Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
    Path archive = target.resolveSibling(target.getFileName() + ".zip");
    zip(target, archive);
    return new Exported(target, sha256, size, archive, Sha256.file(archive));
  }

  /** Sets {@code model_max_length} in {@code tokenizer_config.json}, keeping its other settings. */
  private static void tokenizerConfig(Path file, int maxLength) throws IOException {
    ObjectNode config =
        Files.isRegularFile(file)
            ? (ObjectNode) Json.mapper().readTree(file.toFile())
            : Json.mapper().createObjectNode();
    config.put("model_max_length", maxLength);
    Files.writeString(
        file,
        Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(config),
        StandardCharsets.UTF_8);
  }

  /** Sets {@code torch_dtype} and {@link ModelExport#PRECISION} in {@code config.json}. */
  private static void modelConfig(Path file, Format format) throws IOException {
    ObjectNode config = (ObjectNode) Json.mapper().readTree(file.toFile());
    config.put("torch_dtype", format.dtype().id());
    config.put(ModelExport.PRECISION, format.precision());
    Json.mapper().writerWithDefaultPrettyPrinter().writeValue(file.toFile(), config);
  }

  /** Rewrites a float32 safetensors file in {@code dtype}, each weight rounded once. */
  private static void narrow(Path file, SaveDtype dtype) throws IOException {
    Map<String, TensorData> tensors;
    Map<String, String> metadata;
    try (SafeTensorsReader reader = SafeTensorsReader.open(file)) {
      tensors = reader.readAll();
      metadata = reader.metadata();
    }
    SafeTensorsWriter.write(file, tensors, metadata, dtype == SaveDtype.BFLOAT16 ? "BF16" : "F16");
  }

  /** Writes {@code adapter/} and the top-level weights of a PEFT checkpoint into {@code temp}. */
  private static void peft(Path checkpoint, PeftCheckpoint.Manifest manifest, Path temp)
      throws IOException {
    Path base = PeftCheckpoint.base(checkpoint, manifest);
    BertConfig config = BertConfig.read(checkpoint.resolve(ModelSource.CONFIG));
    Map<String, TensorData> trained = PeftCheckpoint.tensors(checkpoint);
    PeftExport.write(
        temp.resolve(PeftExport.DIRECTORY),
        manifest.method(),
        config,
        manifest.base().source(),
        trained);
    Path weights = temp.resolve(ModelSource.WEIGHTS);
    if (manifest.method().type() != MethodType.LORA) {
      Files.copy(base.resolve(ModelSource.WEIGHTS), weights);
      return;
    }
    Map<String, TensorData> tensors;
    try (SafeTensorsReader reader = SafeTensorsReader.open(base.resolve(ModelSource.WEIGHTS))) {
      tensors = reader.readAll();
    }
    tensors.putAll(trained);
    LoraLayout lora = new LoraLayout(manifest.method().lora(), config);
    SafeTensorsWriter.write(weights, lora.merge(tensors), Map.of("format", "pt"));
  }

  private static void zip(Path dir, Path archive) throws IOException {
    Path temp = archive.resolveSibling(archive.getFileName() + ".tmp");
    List<Path> files;
    try (Stream<Path> walk = Files.walk(dir)) {
      files = walk.filter(Files::isRegularFile).sorted().toList();
    }
    try (OutputStream out = Files.newOutputStream(temp);
        ZipOutputStream zip = new ZipOutputStream(out)) {
      for (Path f : files) {
        ZipEntry entry = new ZipEntry(dir.relativize(f).toString());
        entry.setLastModifiedTime(EPOCH);
        zip.putNextEntry(entry);
        Files.copy(f, zip);
        zip.closeEntry();
      }
    }
    Files.move(temp, archive, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }
}
