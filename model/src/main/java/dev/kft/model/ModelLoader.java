package dev.kft.model;

import ai.djl.ndarray.NDManager;
import dev.kft.checkpoint.BertConfig;
import dev.kft.checkpoint.BertInit;
import dev.kft.checkpoint.ModelSource;
import dev.kft.checkpoint.PeftCheckpoint;
import dev.kft.checkpoint.PretrainedWeights;
import dev.kft.checkpoint.SafeTensorsException;
import dev.kft.checkpoint.SafeTensorsReader;
import dev.kft.checkpoint.TensorData;
import dev.kft.checkpoint.VocabularyPruning;
import dev.kft.nn.BertClassifier;
import dev.kft.peft.Peft;
import dev.kft.peft.PeftMethod;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Builds the classifier a job starts from: the base model's config with the job's overrides and
 * labels, and either its pretrained weights or a seeded random initialisation.
 */
public final class ModelLoader {

  /**
   * What to load.
   *
   * @param source a model directory or {@code hf://org/name@revision}
   * @param pretrained load the source's weights; otherwise initialise from {@code seed}
   * @param overrides {@code config.json} values to replace (with pretrained weights: dropouts and
   *     fewer layers only)
   * @param labels label names by id, or empty to keep the config's
   * @param seed seed of every random initialisation (fresh heads included)
   * @param keptTokens the token ids a pruned vocabulary keeps, ascending (new id {@code i} is old
   *     id {@code keptTokens[i]}), or null for the whole vocabulary
   */
  public record Request(
      String source,
      boolean pretrained,
      Map<String, Object> overrides,
      List<String> labels,
      long seed,
      int[] keptTokens) {

    /** A request that keeps the whole vocabulary. */
    public Request(
        String source,
        boolean pretrained,
        Map<String, Object> overrides,
        List<String> labels,
        long seed) {
      this(source, pretrained, overrides, labels, seed, null);
    }
  }

  /**
   * A loaded model and where it came from.
   *
   * @param directory the resolved source directory (tokenizer files live there)
   * @param initialized tensors initialised fresh rather than loaded
   * @param unused checkpoint tensors the classifier did not use
   * @param peft the manifest when the source is a PEFT checkpoint (the model then carries the
   *     method's tensors over its base)
   */
  public record Loaded(
      BertClassifier model,
      Path directory,
      List<String> initialized,
      List<String> unused,
      Optional<PeftCheckpoint.Manifest> peft) {

    Loaded(BertClassifier model, Path directory, List<String> initialized, List<String> unused) {
      this(model, directory, initialized, unused, Optional.empty());
    }

    public Path tokenizer() {
      return directory.resolve(ModelSource.TOKENIZER);
    }
  }

  private final ModelSource source;

  public ModelLoader(ModelSource source) {
    this.source = source;
  }

  /** Loads a model into a sub-manager of {@code manager}. */
  public Loaded load(Request request, NDManager manager) throws IOException {
    if (request.pretrained()) {
      Path dir = source.resolve(request.source(), false);
      Optional<PeftCheckpoint.Manifest> peft = PeftCheckpoint.read(dir);
      if (peft.isPresent()) {
        return loadPeft(dir, peft.get(), manager);
      }
    }
    Path dir = source.resolve(request.source(), request.pretrained());
    BertConfig config = BertConfig.read(dir.resolve(ModelSource.CONFIG));
    if (!request.overrides().isEmpty()) {
      config = config.withOverrides(request.overrides());
    }
    if (!request.labels().isEmpty()) {
      config = config.withLabels(request.labels());
    }
    int[] kept = request.keptTokens();
    if (kept != null) {
      config = VocabularyPruning.config(config, kept);
    }
    if (!request.pretrained()) {
      Map<String, TensorData> weights = BertInit.random(config, request.seed());
      return new Loaded(
          BertClassifier.create(config, weights, manager),
          dir,
          List.copyOf(weights.keySet()),
          List.of());
    }
    Map<String, TensorData> checkpoint;
    try (SafeTensorsReader reader = SafeTensorsReader.open(dir.resolve(ModelSource.WEIGHTS))) {
      checkpoint = reader.readAll();
    }
    if (kept != null) {
      checkpoint = VocabularyPruning.rows(checkpoint, kept);
    }
    PretrainedWeights.Fitted fitted = PretrainedWeights.fit(config, checkpoint, request.seed());
    return new Loaded(
        BertClassifier.create(config, fitted.tensors(), manager),
        dir,
        fitted.initialized(),
        fitted.unused());
  }

  /**
   * The {@code tokenizer.json} a job with this source and {@code model.tokenizer} override uses.
   */
  public Path tokenizer(String source, String override) throws IOException {
    return this.source.tokenizer(source, override);
  }

  /**
   * A classifier of {@code config} over {@code base} with a PEFT method's tensors bound: of {@code
   * trained}, the method's own tensors extend the model and the rest (a trained head) replace the
   * base's.
   *
   * @param where names the file {@code trained} came from in an error
   */
  static BertClassifier adapted(
      BertConfig config,
      Map<String, TensorData> base,
      PeftMethod method,
      Map<String, TensorData> trained,
      String where,
      NDManager manager) {
    Map<String, TensorData> tensors = new LinkedHashMap<>(base);
    Map<String, TensorData> added = new LinkedHashMap<>();
    for (String name : method.shapes().keySet()) {
      TensorData t = trained.get(name);
      if (t == null) {
        throw new SafeTensorsException(where + " lacks " + name);
      }
      added.put(name, t);
    }
    trained.forEach(
        (name, t) -> {
          if (!added.containsKey(name)) {
            tensors.put(name, t);
          }
        });
    BertClassifier model = BertClassifier.create(config, tensors, manager);
    model.extend(added, method::bind);
    return model;
  }

  /**
   * Loads a PEFT checkpoint: its base (found through the allowed roots and checked against the
   * recorded sha256) with the method's tensors and the trained base tensors applied over it.
   */
  private Loaded loadPeft(Path dir, PeftCheckpoint.Manifest manifest, NDManager manager)
      throws IOException {
    Path base = source.resolve(PeftCheckpoint.base(dir, manifest).toString(), true);
    BertConfig config = BertConfig.read(dir.resolve(ModelSource.CONFIG));
    Map<String, TensorData> tensors;
    try (SafeTensorsReader reader = SafeTensorsReader.open(base.resolve(ModelSource.WEIGHTS))) {
      tensors = reader.readAll();
    }
    PeftMethod method =
        Peft.of(manifest.method(), config, null)
            .orElseThrow(() -> new IOException(dir + ": kft_peft.json names no PEFT method"));
    BertClassifier model =
        adapted(
            config,
            tensors,
            method,
            PeftCheckpoint.tensors(dir),
            dir + ": " + PeftCheckpoint.WEIGHTS,
            manager);
    return new Loaded(model, dir, List.of(), List.of(), Optional.of(manifest));
  }
}
