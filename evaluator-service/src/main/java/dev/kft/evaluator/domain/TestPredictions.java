package dev.kft.evaluator.domain;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kft.evaluator.domain.SplitEvaluation.Row;
import dev.kft.json.Json;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * Writes the candidate's per-example predictions on the test split as JSON lines: the source row,
 * the text as the model saw it (decoded from its tokens, truncation included; unknown tokens stay
 * {@code [UNK]}), the true and predicted labels and every label's probability.
 */
final class TestPredictions {

  /** The file's name, beside {@code test_results.json}. */
  static final String FILE = "test_predictions.jsonl";

  private TestPredictions() {}

  static Path write(Path file, List<Row> rows, List<String> labels, Path tokenizerJson)
      throws IOException {
    try (HuggingFaceTokenizer tokenizer =
            HuggingFaceTokenizer.builder().optTokenizerPath(tokenizerJson).build();
        BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      // the special tokens the tokenizer wraps every input in: [CLS] text [SEP] (pair [SEP])
      long[] empty = tokenizer.encode("").getIds();
      int cls = empty.length == 2 ? (int) empty[0] : -1;
      int sep = empty.length == 2 ? (int) empty[1] : -1;
      for (Row row : rows) {
        ObjectNode line = Json.mapper().createObjectNode();
        line.put("row", row.rowId());
        String[] texts = texts(tokenizer, row.ids(), cls, sep);
        line.put("text", texts[0]);
        if (texts[1] != null) {
          line.put("text_pair", texts[1]);
        }
        line.put("label", labels.get(row.truth()));
        line.put("predicted", labels.get(row.predicted()));
        ObjectNode probabilities = line.putObject("probabilities");
        for (int k = 0; k < labels.size(); k++) {
          probabilities.put(labels.get(k), row.probabilities()[k]);
        }
        out.write(Json.mapper().writeValueAsString(line));
        out.newLine();
      }
    }
    return file;
  }

  /**
   * The text (and pair) of a tokenized row: the tokens between the leading class token and each
   * separator, decoded.
   */
  private static String[] texts(HuggingFaceTokenizer tokenizer, int[] ids, int cls, int sep) {
    int start = ids.length > 0 && ids[0] == cls ? 1 : 0;
    int firstSep = -1;
    for (int i = start; i < ids.length; i++) {
      if (ids[i] == sep) {
        firstSep = i;
        break;
      }
    }
    int end = firstSep < 0 ? ids.length : firstSep;
    String text = decode(tokenizer, Arrays.copyOfRange(ids, start, end));
    int last = ids.length > 0 && ids[ids.length - 1] == sep ? ids.length - 1 : ids.length;
    String pair =
        firstSep >= 0 && firstSep + 1 < last
            ? decode(tokenizer, Arrays.copyOfRange(ids, firstSep + 1, last))
            : null;
    return new String[] {text, pair};
  }

  private static String decode(HuggingFaceTokenizer tokenizer, int[] ids) {
    long[] longs = new long[ids.length];
    for (int i = 0; i < ids.length; i++) {
      longs[i] = ids[i];
    }
    return tokenizer.decode(longs, false);
  }
}
