package dev.kft.checkpoint;

import dev.kft.io.ConfinedPaths;
import dev.kft.json.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns a job's {@code model.source} into a local directory with Hugging Face's file names: a
 * directory inside the allowed roots, {@code hf://org/name@revision} through the {@link
 * HubClient}'s cache, or a Google BERT TensorFlow checkpoint converted once through {@link
 * ConvertedModels}: {@code tf-checkpoint:PATH} (a checkpoint or a jar holding one, inside the
 * roots) or {@code maven:GROUP:ARTIFACT:VERSION} (a jar holding one, resolved with Maven).
 */
public final class ModelSource {

  public static final String CONFIG = "config.json";
  public static final String WEIGHTS = "model.safetensors";
  public static final String TOKENIZER = "tokenizer.json";

  /** Tokenizer files copied along with a model when present. */
  public static final List<String> TOKENIZER_EXTRAS =
      List.of("tokenizer_config.json", "vocab.txt", "special_tokens_map.json");

  private final ConfinedPaths roots;
  private final HubClient hub;
  private final ConvertedModels converted;

  public ModelSource(ConfinedPaths roots, HubClient hub, ConvertedModels converted) {
    this.roots = roots;
    this.hub = hub;
    this.converted = converted;
  }

  /** A source that refuses {@code tf-checkpoint:} sources (a service that never converts). */
  public ModelSource(ConfinedPaths roots, HubClient hub) {
    this(roots, hub, null);
  }

  /**
   * The {@code tokenizer.json} of a source, or {@code override} (a path inside the roots) when set.
   */
  public Path tokenizer(String source, String override) throws IOException {
    if (override == null) {
      return resolve(source, false).resolve(TOKENIZER);
    }
    try {
      return roots.resolve(override);
    } catch (RuntimeException e) {
      throw new ModelSourceException("model.tokenizer: " + e.getMessage());
    }
  }

  /**
   * Resolves a source to a directory holding {@code config.json}, {@code tokenizer.json} and, when
   * {@code weights} is set, {@code model.safetensors}.
   *
   * @throws ModelSourceException naming each missing file, or why the source is refused
   */
  public Path resolve(String source, boolean weights) throws IOException {
    List<String> required = new ArrayList<>(List.of(CONFIG, TOKENIZER));
    if (weights) {
      required.add(WEIGHTS);
    }
    if (HubModelId.isHub(source)) {
      try {
        return hub.snapshot(HubModelId.parse(source), required, TOKENIZER_EXTRAS);
      } catch (HubException | IllegalArgumentException e) {
        throw new ModelSourceException(e.getMessage());
      }
    }
    Path dir;
    try {
      dir =
          ConvertedModels.names(source)
              ? converted().resolve(source, roots)
              : roots.resolve(source);
    } catch (ModelSourceException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new ModelSourceException("model.source: " + e.getMessage());
    }
    List<String> missing =
        required.stream().filter(f -> !Files.isRegularFile(dir.resolve(f))).toList();
    if (!missing.isEmpty()) {
      throw new ModelSourceException(
          "model directory "
              + dir
              + " lacks "
              + String.join(", ", missing)
              + (missing.contains(WEIGHTS) ? " (weights are read from safetensors only)" : ""));
    }
    return dir;
  }

  /**
   * Where the model in {@code dir}, resolved from {@code source}, came from: a converted
   * checkpoint's {@value ConvertedModels#ORIGIN} (source and content digests), else the source
   * alone.
   */
  public static Map<String, String> origin(Path dir, String source) throws IOException {
    Path file = dir.resolve(ConvertedModels.ORIGIN);
    if (!Files.isRegularFile(file)) {
      return Map.of("source", source);
    }
    Map<String, String> origin = new LinkedHashMap<>();
    Json.mapper()
        .readTree(file.toFile())
        .fields()
        .forEachRemaining(e -> origin.put(e.getKey(), e.getValue().asText()));
    return origin;
  }

  private ConvertedModels converted() {
    if (converted == null) {
      throw new ModelSourceException(
          "model.source: tf-checkpoint and maven sources are not read here");
    }
    return converted;
  }
}
