package dev.kft.checkpoint;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kft.json.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Cuts a model's vocabulary down to the tokens a job uses, as in "Load What You Need" (Abdaoui et
 * al., 2020): the kept tokens keep their order and get the ids 0, 1, 2, … (new id {@code i} is old
 * id {@code kept[i]}), the embedding rows of the others are dropped, and the tokenizer files are
 * rewritten for the smaller vocabulary, so that the result is a standalone Hugging Face model.
 * WordPiece's longest match first tokenizes any text made of kept tokens exactly as before.
 */
public final class VocabularyPruning {

  /** Tensors with one row per token. */
  private static final List<String> BY_TOKEN =
      List.of(BertLayout.WORD_EMBEDDINGS, "cls.predictions.decoder.weight", "cls.predictions.bias");

  private VocabularyPruning() {}

  /**
   * A pruned tokenizer.
   *
   * @param json the bytes of its {@code tokenizer.json}
   * @param vocab its tokens by new id, as {@code vocab.txt} lists them
   * @param remap old id to new id for the kept tokens
   */
  public record Tokenizer(byte[] json, List<String> vocab, Map<Integer, Integer> remap) {

    /**
     * Writes {@code tokenizer.json}, {@code vocab.txt} and, from {@code sourceDir}, {@code
     * special_tokens_map.json} and {@code tokenizer_config.json} (its added tokens renumbered).
     */
    public void write(Path sourceDir, Path target) throws IOException {
      Files.createDirectories(target);
      Files.write(target.resolve(ModelSource.TOKENIZER), json);
      Files.write(target.resolve("vocab.txt"), vocab, StandardCharsets.UTF_8);
      Path map = sourceDir.resolve("special_tokens_map.json");
      if (Files.isRegularFile(map)) {
        Files.copy(map, target.resolve(map.getFileName()), StandardCopyOption.REPLACE_EXISTING);
      }
      Path config = sourceDir.resolve("tokenizer_config.json");
      if (Files.isRegularFile(config)) {
        ObjectNode node = (ObjectNode) Json.mapper().readTree(config.toFile());
        JsonNode decoder = node.path("added_tokens_decoder");
        if (decoder.isObject()) {
          ObjectNode renumbered = Json.mapper().createObjectNode();
          decoder
              .fields()
              .forEachRemaining(
                  e ->
                      renumbered.set(
                          String.valueOf(newId(remap, Integer.parseInt(e.getKey()))),
                          e.getValue()));
          node.set("added_tokens_decoder", renumbered);
        }
        Json.mapper()
            .writerWithDefaultPrettyPrinter()
            .writeValue(target.resolve(config.getFileName()).toFile(), node);
      }
    }
  }

  private static int newId(Map<Integer, Integer> remap, int old) {
    Integer id = remap.get(old);
    if (id == null) {
      throw new IllegalArgumentException(
          "model.prune_vocabulary: token id " + old + " is special but not among the kept tokens");
    }
    return id;
  }

  /** The ids of the tokens a tokenizer adds or treats as special: always kept. */
  public static int[] specialIds(Path tokenizerJson) throws IOException {
    JsonNode json = Json.mapper().readTree(tokenizerJson.toFile());
    List<Integer> ids = new ArrayList<>();
    json.path("added_tokens").forEach(t -> ids.add(t.path("id").asInt()));
    return ids.stream().mapToInt(Integer::intValue).sorted().distinct().toArray();
  }

  /**
   * The tokenizer of {@code tokenizerJson} keeping the ids {@code kept} (ascending).
   *
   * @throws IllegalArgumentException when the tokenizer is not WordPiece, or a kept id is not in
   *     its vocabulary, or a special token is not kept
   */
  public static Tokenizer tokenizer(Path tokenizerJson, int[] kept) throws IOException {
    ObjectNode json = (ObjectNode) Json.mapper().readTree(tokenizerJson.toFile());
    ObjectNode model = (ObjectNode) json.path("model");
    // Older files leave the type out; the tokenizers library then tells WordPiece by its fields.
    String type =
        model.path("type").asText(model.has("max_input_chars_per_word") ? "WordPiece" : "");
    if (!type.equals("WordPiece")) {
      throw new IllegalArgumentException(
          "model.prune_vocabulary: only WordPiece vocabularies can be pruned; this tokenizer's"
              + " model is "
              + (type.isEmpty() ? "unnamed" : type));
    }
    Map<Integer, String> byId = new HashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = model.path("vocab").fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      byId.putIfAbsent(e.getValue().asInt(), e.getKey());
    }
    Map<Integer, Integer> remap = new LinkedHashMap<>();
    List<String> vocab = new ArrayList<>(kept.length);
    ObjectNode ids = Json.mapper().createObjectNode();
    for (int old : kept) {
      String token = byId.get(old);
      if (token == null) {
        throw new IllegalArgumentException("token id " + old + " is not in the vocabulary");
      }
      remap.put(old, vocab.size());
      ids.put(token, vocab.size());
      vocab.add(token);
    }
    model.set("vocab", ids);
    for (JsonNode added : json.path("added_tokens")) {
      ((ObjectNode) added).put("id", newId(remap, added.path("id").asInt()));
    }
    renumberProcessor(json.path("post_processor"), remap);
    if (json.path("padding").isObject()) {
      ObjectNode padding = (ObjectNode) json.path("padding");
      padding.put("pad_id", newId(remap, padding.path("pad_id").asInt()));
    }
    return new Tokenizer(Json.mapper().writeValueAsBytes(json), vocab, remap);
  }

  private static void renumberProcessor(JsonNode processor, Map<Integer, Integer> remap) {
    switch (processor.path("type").asText("")) {
      case "TemplateProcessing" ->
          processor
              .path("special_tokens")
              .forEach(
                  token -> {
                    ArrayNode ids = (ArrayNode) token.path("ids");
                    for (int i = 0; i < ids.size(); i++) {
                      ids.set(i, newId(remap, ids.get(i).asInt()));
                    }
                  });
      case "BertProcessing", "RobertaProcessing" -> {
        for (String key : List.of("sep", "cls")) {
          ArrayNode pair = (ArrayNode) processor.path(key);
          pair.set(1, newId(remap, pair.get(1).asInt()));
        }
      }
      case "Sequence" -> processor.path("processors").forEach(p -> renumberProcessor(p, remap));
      default -> {
        // no post-processor, or one that adds no token ids (ByteLevel)
      }
    }
  }

  /**
   * The config of a model whose vocabulary keeps {@code kept} tokens.
   *
   * @throws IllegalArgumentException when a kept id is beyond the model's vocabulary
   */
  public static BertConfig config(BertConfig config, int[] kept) {
    int last = kept[kept.length - 1];
    if (last >= config.vocabSize()) {
      throw new IllegalArgumentException(
          "model.prune_vocabulary: the tokenizer uses token id "
              + last
              + " but the model's vocab_size is "
              + config.vocabSize());
    }
    return config.withOverrides(Map.of("vocab_size", kept.length));
  }

  /**
   * {@code tensors} with the rows of the kept tokens only in the tensors that have one row per
   * token (the word embeddings and a masked-LM head's decoder and bias); other tensors as they are.
   */
  public static Map<String, TensorData> rows(Map<String, TensorData> tensors, int[] kept) {
    Map<String, TensorData> out = new LinkedHashMap<>(tensors);
    for (String name : BY_TOKEN) {
      TensorData t = tensors.get(name);
      if (t == null) {
        continue;
      }
      int width = t.shape().length == 1 ? 1 : Math.toIntExact(t.shape()[1]);
      float[] values = new float[kept.length * width];
      for (int i = 0; i < kept.length; i++) {
        System.arraycopy(t.values(), kept[i] * width, values, i * width, width);
      }
      long[] shape = Arrays.copyOf(t.shape(), t.shape().length);
      shape[0] = kept.length;
      out.put(name, new TensorData(shape, values));
    }
    return out;
  }
}
