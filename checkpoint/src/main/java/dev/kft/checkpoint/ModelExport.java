package dev.kft.checkpoint;

import dev.kft.json.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes a model directory in Hugging Face's layout, which {@code transformers}' {@code
 * AutoModelForSequenceClassification.from_pretrained} loads unchanged: {@code config.json} with
 * {@code id2label}/{@code label2id}, {@code model.safetensors} (F32, {@code format: pt}) and the
 * tokenizer files.
 */
public final class ModelExport {

  /**
   * The key of a registered version's {@code config.json} naming the precision its job trained and
   * was evaluated in: {@code float32} or {@code bf16}. Hugging Face keeps unknown keys.
   */
  public static final String PRECISION = "kft_precision";

  private ModelExport() {}

  /**
   * Writes {@code config}, the weights among {@code tensors} that belong to a plain model of that
   * config (a PEFT method's own tensors have no place in a plain model directory) and the tokenizer
   * files found in {@code tokenizerDir}.
   *
   * @return the files written
   */
  public static List<Path> write(
      BertConfig config, Map<String, TensorData> tensors, Path tokenizerDir, Path target)
      throws IOException {
    List<Path> written = writeWithoutWeights(config, tokenizerDir, target);
    Path weights = target.resolve(ModelSource.WEIGHTS);
    Map<String, TensorData> base = new LinkedHashMap<>(tensors);
    base.keySet().retainAll(BertLayout.shapes(config).keySet());
    SafeTensorsWriter.write(weights, base, Map.of("format", "pt"));
    written.add(weights);
    return written;
  }

  /**
   * Writes {@code config} and the tokenizer files found in {@code tokenizerDir}, but no weights.
   */
  public static List<Path> writeWithoutWeights(BertConfig config, Path tokenizerDir, Path target)
      throws IOException {
    Files.createDirectories(target);
    List<Path> written = new ArrayList<>();
    Path configFile = target.resolve(ModelSource.CONFIG);
    Json.mapper().writerWithDefaultPrettyPrinter().writeValue(configFile.toFile(), config.toJson());
    written.add(configFile);
    List<String> tokenizerFiles = new ArrayList<>(List.of(ModelSource.TOKENIZER));
    tokenizerFiles.addAll(ModelSource.TOKENIZER_EXTRAS);
    for (String name : tokenizerFiles) {
      Path from = tokenizerDir.resolve(name);
      if (Files.isRegularFile(from)) {
        written.add(Files.copy(from, target.resolve(name), StandardCopyOption.REPLACE_EXISTING));
      }
    }
    return written;
  }
}
