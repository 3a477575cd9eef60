package dev.kft.checkpoint;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kft.io.FileTrees;
import dev.kft.json.Json;
import dev.kft.tensorflow.BundleFormatException;
import dev.kft.tensorflow.TensorBundle;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Converts a Google BERT TensorFlow checkpoint (a tensor bundle with {@code bert/...} variables,
 * optionally under {@code module/} as in TF Hub modules) into a Hugging Face model directory:
 * {@code config.json} with the geometry read from the tensor shapes, {@code model.safetensors} with
 * Hugging Face's names ({@code kernel} matrices transposed to {@code Linear.weight}'s output-major
 * layout, {@code gamma}/{@code beta} as {@code weight}/{@code bias}), and the tokenizer files of
 * its WordPiece vocabulary. Tensors are streamed one at a time, so the heap never holds the model;
 * optimizer slots and {@code global_step} are left out.
 */
public final class GoogleBertImport {

  /** BERT's heads are 64 wide in every Google release; used when no config names the count. */
  static final int HEAD_SIZE = 64;

  private static final Pattern LAYER = Pattern.compile("^bert/encoder/layer_(\\d+)/");

  /**
   * What was converted.
   *
   * @param tensors Hugging Face names written, in file order
   * @param skipped bundle names left out (optimizer slots, counters)
   * @param parameters values written
   */
  public record Imported(
      Path directory, List<String> tensors, List<String> skipped, long parameters) {}

  private GoogleBertImport() {}

  /**
   * Writes the Hugging Face directory {@code target} (replacing it) from the bundle at {@code
   * variables} (its path prefix, e.g. {@code .../variables/variables}).
   *
   * @param bertConfig the release's {@code bert_config.json}, when there is one
   * @param lowerCase whether the vocabulary is uncased (lower-cased, accents stripped)
   * @throws BundleFormatException when the bundle is damaged or not a BERT checkpoint
   */
  public static Imported convert(
      Path variables, Path vocab, Optional<Path> bertConfig, boolean lowerCase, Path target)
      throws IOException {
    Path temp = target.resolveSibling(".tmp-" + target.getFileName());
    FileTrees.delete(temp);
    Files.createDirectories(temp);
    try (TensorBundle bundle = TensorBundle.open(variables)) {
      Map<String, TensorBundle.Entry> mapped = new LinkedHashMap<>();
      List<String> skipped = new ArrayList<>();
      for (TensorBundle.Entry e : bundle.entries()) {
        String name = e.name().startsWith("module/") ? e.name().substring(7) : e.name();
        if (e.dtype() != TensorBundle.DT_FLOAT
            || name.endsWith("adam_m")
            || name.endsWith("adam_v")
            || !(name.startsWith("bert/") || name.startsWith("cls/"))) {
          skipped.add(e.name());
        } else {
          mapped.put(huggingFaceName(name), e);
        }
      }
      JsonNode release =
          bertConfig.isPresent() ? Json.mapper().readTree(bertConfig.get().toFile()) : null;
      ObjectNode config = config(mapped, release);
      List<String> tokens = Files.readAllLines(vocab, StandardCharsets.UTF_8);
      if (tokens.size() != config.get("vocab_size").asInt()) {
        throw new BundleFormatException(
            vocab
                + " has "
                + tokens.size()
                + " tokens, the embeddings "
                + config.get("vocab_size"));
      }
      Json.mapper()
          .writerWithDefaultPrettyPrinter()
          .writeValue(temp.resolve(ModelSource.CONFIG).toFile(), config);
      long parameters = weights(bundle, mapped, temp.resolve(ModelSource.WEIGHTS));
      BertTokenizerFiles.write(
          tokens, lowerCase, config.get("max_position_embeddings").asInt(), temp);
      FileTrees.delete(target);
      Files.createDirectories(target.toAbsolutePath().getParent());
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
      return new Imported(target, List.copyOf(mapped.keySet()), skipped, parameters);
    } catch (IOException | RuntimeException e) {
      FileTrees.delete(temp);
      throw e;
    }
  }

  /** Hugging Face's name of a Google BERT variable (without {@code module/}). */
  static String huggingFaceName(String tfName) {
    String[] parts = tfName.replaceAll("layer_(\\d+)", "layer.$1").split("/");
    String last = parts[parts.length - 1];
    String suffix =
        switch (last) {
          case "kernel", "gamma", "output_weights" -> "weight";
          case "beta", "output_bias", "bias" -> "bias";
          default -> null;
        };
    List<String> path = new ArrayList<>(List.of(parts));
    if (suffix == null) {
      path.add("weight");
    } else {
      path.set(path.size() - 1, suffix);
    }
    return String.join(".", path);
  }

  private static boolean transposed(TensorBundle.Entry e) {
    return e.name().endsWith("/kernel");
  }

  private static ObjectNode config(Map<String, TensorBundle.Entry> mapped, JsonNode release)
      throws BundleFormatException {
    TensorBundle.Entry words = mapped.get("bert.embeddings.word_embeddings.weight");
    if (words == null) {
      throw new BundleFormatException(
          "not a BERT checkpoint: no bert/embeddings/word_embeddings among "
              + mapped.keySet().stream().limit(5).toList());
    }
    int hidden = (int) words.shape()[1];
    TreeSet<Integer> layers = new TreeSet<>();
    for (TensorBundle.Entry e : mapped.values()) {
      Matcher m = LAYER.matcher(e.name().replaceFirst("^module/", ""));
      if (m.find()) {
        layers.add(Integer.parseInt(m.group(1)));
      }
    }
    TensorBundle.Entry intermediate =
        require(mapped, "bert.encoder.layer.0.intermediate.dense.weight");
    ObjectNode config = Json.mapper().createObjectNode();
    config.putArray("architectures").add(architecture(mapped));
    config.put("model_type", "bert");
    config.put("vocab_size", (int) words.shape()[0]);
    config.put("hidden_size", hidden);
    config.put("num_hidden_layers", layers.size());
    config.put(
        "num_attention_heads",
        release != null ? release.path("num_attention_heads").asInt() : hidden / HEAD_SIZE);
    config.put("intermediate_size", (int) intermediate.shape()[1]);
    config.put("hidden_act", release != null ? release.path("hidden_act").asText("gelu") : "gelu");
    config.put("hidden_dropout_prob", 0.1);
    config.put("attention_probs_dropout_prob", 0.1);
    config.put(
        "max_position_embeddings",
        (int) require(mapped, "bert.embeddings.position_embeddings.weight").shape()[0]);
    config.put(
        "type_vocab_size",
        (int) require(mapped, "bert.embeddings.token_type_embeddings.weight").shape()[0]);
    config.put("initializer_range", 0.02);
    config.put("layer_norm_eps", 1e-12);
    config.put("pad_token_id", 0);
    config.put("position_embedding_type", "absolute");
    if (layers.size() != layers.last() + 1) {
      throw new BundleFormatException("the encoder layers are not numbered 0.." + layers.last());
    }
    return config;
  }

  private static String architecture(Map<String, TensorBundle.Entry> mapped) {
    if (mapped.containsKey("cls.seq_relationship.weight")) {
      return "BertForPreTraining";
    }
    return mapped.containsKey("cls.predictions.bias") ? "BertForMaskedLM" : "BertModel";
  }

  private static TensorBundle.Entry require(Map<String, TensorBundle.Entry> mapped, String name)
      throws BundleFormatException {
    TensorBundle.Entry e = mapped.get(name);
    if (e == null) {
      throw new BundleFormatException("not a BERT checkpoint: " + name + " is missing");
    }
    return e;
  }

  private static long weights(
      TensorBundle bundle, Map<String, TensorBundle.Entry> mapped, Path file) throws IOException {
    Map<String, long[]> shapes = new LinkedHashMap<>();
    long parameters = 0;
    for (Map.Entry<String, TensorBundle.Entry> e : mapped.entrySet()) {
      long[] shape = e.getValue().shape();
      shapes.put(
          e.getKey(), transposed(e.getValue()) ? new long[] {shape[1], shape[0]} : shape.clone());
      parameters += e.getValue().elements();
    }
    SafeTensorsWriter.stream(
        file,
        shapes,
        Map.of("format", "pt"),
        (name, out) -> {
          TensorBundle.Entry entry = mapped.get(name);
          if (transposed(entry)) {
            ByteBuffer bytes = transpose(bundle.floats(entry), entry.shape());
            SafeTensorsWriter.writeFully(out, bytes);
          } else {
            bundle.stream(entry, chunk -> SafeTensorsWriter.writeFully(out, chunk));
          }
        });
    return parameters;
  }

  /** A {@code [in, out]} matrix as {@code [out, in]} little-endian bytes. */
  private static ByteBuffer transpose(float[] values, long[] shape) {
    int rows = (int) shape[0];
    int cols = (int) shape[1];
    ByteBuffer bytes = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
    for (int c = 0; c < cols; c++) {
      for (int r = 0; r < rows; r++) {
        bytes.putFloat(values[r * cols + c]);
      }
    }
    return bytes.flip();
  }
}
