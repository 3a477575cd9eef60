package dev.kft.checkpoint;

import dev.kft.json.Json;
import dev.kft.nn.BertClassifier;
import dev.kft.nn.BertLayout;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Writes a model directory in Hugging Face's layout, which {@code transformers}' {@code
 * AutoModelForSequenceClassification.from_pretrained} loads unchanged: {@code config.json} with
 * {@code id2label}/{@code label2id}, {@code model.safetensors} (F32, {@code format: pt}) and the
 * tokenizer files.
 */
public final class ModelExport {

  private ModelExport() {}

  /**
   * Exports {@code model} to {@code target}, copying tokenizer files from {@code tokenizerDir}.
   *
   * @return the files written
   */
  public static List<Path> write(BertClassifier model, Path tokenizerDir, Path target)
      throws IOException {
    List<Path> written = writeWithoutWeights(model, tokenizerDir, target);
    Path weights = target.resolve(ModelSource.WEIGHTS);
    // a PEFT model's own tensors have no place in a plain model directory
    Map<String, long[]> base = BertLayout.shapes(model.config());
    SafeTensorsWriter.write(weights, model.toTensors(base::containsKey), Map.of("format", "pt"));
    written.add(weights);
    return written;
  }

  /** Exports {@code model}'s config and the tokenizer files, but no weights. */
  public static List<Path> writeWithoutWeights(BertClassifier model, Path tokenizerDir, Path target)
      throws IOException {
    Files.createDirectories(target);
    List<Path> written = new ArrayList<>();
    Path config = target.resolve(ModelSource.CONFIG);
    Json.mapper()
        .writerWithDefaultPrettyPrinter()
        .writeValue(config.toFile(), model.config().toJson());
    written.add(config);
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
