package dev.kft.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import dev.kft.checkpoint.BertTokenizerFiles;
import dev.kft.checkpoint.ModelSource;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code tokenizer.json} kft writes for a WordPiece vocabulary tokenizes exactly as the one
 * Hugging Face published for {@code bert-base-chinese} with the same vocabulary: the same ids and
 * token types for a thousand ChnSentiCorp reviews, for text pairs, and for English, accents,
 * control characters and special tokens written in the text.
 */
@Tag("unit")
class BertTokenizerFilesTest {

  private static final Path BERT_BASE_CHINESE = Path.of("..", "models", "bert-base-chinese");
  private static final Path REVIEWS =
      Path.of("..", "data", "chnsenticorp", "chnsenticorp_htl_all.csv");

  @TempDir Path dir;

  @Test
  void tokenizesAsHuggingFacesOwnFileForTheSameVocabulary() throws Exception {
    List<String> vocab =
        Files.readAllLines(BERT_BASE_CHINESE.resolve("vocab.txt"), StandardCharsets.UTF_8);
    BertTokenizerFiles.write(vocab, false, 512, dir);
    List<String> texts = new ArrayList<>();
    List<String> lines = Files.readAllLines(REVIEWS, StandardCharsets.UTF_8);
    for (String line : lines.subList(1, 1001)) {
      texts.add(line.substring(line.indexOf(',') + 1));
    }
    texts.add("Héllo WORLD, naïve café! 東京 [MASK] 北京\u0007 tab\there x²");
    int compared = 0;
    try (HuggingFaceTokenizer theirs = tokenizer(BERT_BASE_CHINESE);
        HuggingFaceTokenizer ours = tokenizer(dir)) {
      for (String text : texts) {
        same(theirs.encode(text), ours.encode(text), text);
        compared++;
      }
      for (int i = 0; i + 1 < 200; i += 2) {
        same(
            theirs.encode(texts.get(i), texts.get(i + 1)),
            ours.encode(texts.get(i), texts.get(i + 1)),
            texts.get(i));
        compared++;
      }
    }
    assertTrue(compared > 1000);
  }

  private static void same(Encoding expected, Encoding actual, String text) {
    assertArrayEquals(expected.getIds(), actual.getIds(), text);
    assertArrayEquals(expected.getTypeIds(), actual.getTypeIds(), text);
  }

  private static HuggingFaceTokenizer tokenizer(Path dir) throws Exception {
    return HuggingFaceTokenizer.builder()
        .optTokenizerPath(dir.resolve(ModelSource.TOKENIZER))
        .optAddSpecialTokens(true)
        .optTruncation(false)
        .build();
  }
}
