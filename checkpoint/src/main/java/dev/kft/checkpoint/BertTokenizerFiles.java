package dev.kft.checkpoint;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kft.json.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Writes the tokenizer files of a BERT WordPiece vocabulary as Hugging Face's {@code
 * BertTokenizerFast} has them: {@code tokenizer.json} (BERT normalizer with Chinese characters
 * split one per token, lower-casing and accent stripping as the model was trained, BERT
 * pre-tokenizer, WordPiece with {@code ##} continuations, {@code [CLS] A [SEP]} and {@code [CLS] A
 * [SEP] B [SEP]} templates), {@code tokenizer_config.json} and {@code special_tokens_map.json}.
 */
public final class BertTokenizerFiles {

  /** The special tokens of BERT vocabularies, in the order they are listed. */
  public static final List<String> SPECIAL = List.of("[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]");

  private BertTokenizerFiles() {}

  /**
   * Writes the files for {@code vocab} (one token per line, the line number is the id) into {@code
   * target}.
   *
   * @param lowerCase whether the model was trained on lower-cased, accent-stripped text
   * @throws IOException when the vocabulary lacks a special token
   */
  public static void write(List<String> vocab, boolean lowerCase, int maxLength, Path target)
      throws IOException {
    ObjectNode json = Json.mapper().createObjectNode();
    json.put("version", "1.0");
    json.putNull("truncation");
    json.putNull("padding");
    ArrayNode added = json.putArray("added_tokens");
    for (String token : SPECIAL) {
      added
          .addObject()
          .put("id", id(vocab, token))
          .put("content", token)
          .put("single_word", false)
          .put("lstrip", false)
          .put("rstrip", false)
          .put("normalized", false)
          .put("special", true);
    }
    ObjectNode normalizer = json.putObject("normalizer");
    normalizer.put("type", "BertNormalizer");
    normalizer.put("clean_text", true);
    normalizer.put("handle_chinese_chars", true);
    // null: strip accents exactly when lower-casing, as BERT's basic tokenizer does
    normalizer.putNull("strip_accents");
    normalizer.put("lowercase", lowerCase);
    json.putObject("pre_tokenizer").put("type", "BertPreTokenizer");
    postProcessor(json.putObject("post_processor"), vocab);
    json.putObject("decoder").put("type", "WordPiece").put("prefix", "##").put("cleanup", true);
    ObjectNode model = json.putObject("model");
    model.put("type", "WordPiece");
    model.put("unk_token", "[UNK]");
    model.put("continuing_subword_prefix", "##");
    model.put("max_input_chars_per_word", 100);
    ObjectNode ids = model.putObject("vocab");
    for (int i = 0; i < vocab.size(); i++) {
      if (!ids.has(vocab.get(i))) {
        ids.put(vocab.get(i), i);
      }
    }
    Files.createDirectories(target);
    Json.mapper().writeValue(target.resolve(ModelSource.TOKENIZER).toFile(), json);
    Files.write(target.resolve("vocab.txt"), vocab, StandardCharsets.UTF_8);
    ObjectNode config = Json.mapper().createObjectNode();
    config.put("tokenizer_class", "BertTokenizer");
    config.put("do_lower_case", lowerCase);
    config.put("tokenize_chinese_chars", true);
    config.putNull("strip_accents");
    config.put("model_max_length", maxLength);
    ObjectNode map = Json.mapper().createObjectNode();
    for (String token : SPECIAL) {
      String key = token.substring(1, token.length() - 1).toLowerCase(Locale.ROOT) + "_token";
      config.put(key, token);
      map.put(key, token);
    }
    Json.mapper()
        .writerWithDefaultPrettyPrinter()
        .writeValue(target.resolve("tokenizer_config.json").toFile(), config);
    Json.mapper()
        .writerWithDefaultPrettyPrinter()
        .writeValue(target.resolve("special_tokens_map.json").toFile(), map);
  }

  private static void postProcessor(ObjectNode processor, List<String> vocab) throws IOException {
    processor.put("type", "TemplateProcessing");
    ArrayNode single = processor.putArray("single");
    special(single, "[CLS]", 0);
    sequence(single, "A", 0);
    special(single, "[SEP]", 0);
    ArrayNode pair = processor.putArray("pair");
    special(pair, "[CLS]", 0);
    sequence(pair, "A", 0);
    special(pair, "[SEP]", 0);
    sequence(pair, "B", 1);
    special(pair, "[SEP]", 1);
    ObjectNode tokens = processor.putObject("special_tokens");
    for (String token : List.of("[CLS]", "[SEP]")) {
      ObjectNode entry = tokens.putObject(token);
      entry.put("id", token);
      entry.putArray("ids").add(id(vocab, token));
      entry.putArray("tokens").add(token);
    }
  }

  private static void special(ArrayNode template, String token, int typeId) {
    template.addObject().putObject("SpecialToken").put("id", token).put("type_id", typeId);
  }

  private static void sequence(ArrayNode template, String name, int typeId) {
    template.addObject().putObject("Sequence").put("id", name).put("type_id", typeId);
  }

  private static int id(List<String> vocab, String token) throws IOException {
    int id = vocab.indexOf(token);
    if (id < 0) {
      throw new IOException("the vocabulary has no " + token + " token: not a BERT vocabulary");
    }
    return id;
  }
}
