package dev.kft.dataprep.domain;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import dev.kft.batch.Split;
import dev.kft.batch.TokenizedBatch;
import dev.kft.checkpoint.VocabularyPruning;
import dev.kft.events.DatasetPrepared.Vocabulary;
import dev.kft.io.ConfinedPaths;
import dev.kft.io.Sha256;
import dev.kft.job.JobSpecs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Vocabulary pruning in data-prep, checked with Hugging Face's own tokenizers library: the pruned
 * {@code tokenizer.json} encodes the job's texts to the renumbered ids of the full one.
 */
@Tag("unit")
class VocabularyPruningTest {

  private static final Path MODEL = Path.of("..", "models", "bert-base-chinese");
  private static final BaseModel BASE =
      new BaseModel(MODEL.resolve("tokenizer.json"), 21128, 768, 512, Map.of("source", "m"));
  private static final List<String> TEXTS =
      List.of(
          "这家酒店的服务非常好，房间也很干净。",
          "Unbelievable service, the breakfast was terrible!",
          "价格有点贵，但是位置不错 5 stars",
          "早餐很一般，不会再来了",
          "wifi信号差，前台态度冷淡 🙁",
          "总的来说还可以，性价比高");

  @TempDir Path dir;

  @Test
  void prunedBatchesAreTheFullOnesRenumberedAndThePrunedTokenizerAgrees() throws Exception {
    StringBuilder rows = new StringBuilder();
    for (int i = 0; i < 60; i++) {
      rows.append("{\"text\": \"")
          .append(TEXTS.get(i % TEXTS.size()))
          .append(i)
          .append("\", \"label\": \"")
          .append(i % 2 == 0 ? "pos" : "neg")
          .append("\"}\n");
    }
    Files.writeString(dir.resolve("data.jsonl"), rows);
    DataPreparation.Prepared full = prepare(false);
    DataPreparation.Prepared pruned = prepare(true);
    assertNull(full.vocabulary());
    Vocabulary v = pruned.vocabulary();
    int[] kept = v.keptIds();
    for (Split split : Split.values()) {
      List<TokenizedBatch> a = full.batches().get(split);
      List<TokenizedBatch> b = pruned.batches().get(split);
      assertEquals(a.size(), b.size(), split.label());
      for (int i = 0; i < a.size(); i++) {
        int[] back = Arrays.stream(b.get(i).inputIds()).map(id -> kept[id]).toArray();
        assertArrayEquals(a.get(i).inputIds(), back, split + " batch " + i);
        assertArrayEquals(a.get(i).attentionMask(), b.get(i).attentionMask());
      }
    }
    long distinct =
        full.batches().values().stream()
            .flatMap(List::stream)
            .flatMapToInt(batch -> Arrays.stream(batch.inputIds()))
            .distinct()
            .count();
    int[] special = {0, 100, 101, 102, 103};
    long extraSpecial =
        Arrays.stream(special)
            .filter(
                id ->
                    full.batches().values().stream()
                        .flatMap(List::stream)
                        .flatMapToInt(batch -> Arrays.stream(batch.inputIds()))
                        .noneMatch(x -> x == id))
            .count();
    assertEquals(distinct + extraSpecial, v.keptTokens());
    assertEquals((21128L - v.keptTokens()) * 768, v.parametersSaved());
    for (int id : special) {
      assertTrue(Arrays.binarySearch(kept, id) >= 0, "special token " + id + " kept");
    }

    VocabularyPruning.Tokenizer tokenizer =
        VocabularyPruning.tokenizer(MODEL.resolve("tokenizer.json"), kept);
    Path out = dir.resolve("pruned");
    tokenizer.write(MODEL, out);
    assertEquals(Sha256.file(out.resolve("tokenizer.json")), pruned.tokenizerSha256());
    assertEquals(v.keptTokens(), Files.readAllLines(out.resolve("vocab.txt")).size());
    try (HuggingFaceTokenizer whole =
            HuggingFaceTokenizer.newInstance(MODEL.resolve("tokenizer.json"));
        HuggingFaceTokenizer small =
            HuggingFaceTokenizer.newInstance(out.resolve("tokenizer.json"))) {
      int unknown = Arrays.binarySearch(kept, 100);
      for (String text : TEXTS) {
        // The cleaner folds full-width punctuation, so the raw texts hold a few unkept tokens:
        // those become [UNK], every other token its renumbered id.
        long[] expected =
            Arrays.stream(whole.encode(text).getIds())
                .map(id -> Arrays.binarySearch(kept, (int) id))
                .map(id -> id < 0 ? unknown : id)
                .toArray();
        assertArrayEquals(expected, small.encode(text).getIds(), text);
      }
      String unseen = "鳄鱼";
      assertNotEquals(100, whole.encode(unseen).getIds()[1], "the full vocabulary has 鳄");
      assertEquals(
          unknown, (int) small.encode(unseen).getIds()[1], "a token the data never used is [UNK]");
    }
  }

  @Test
  void aTokenizerThatIsNotWordPieceIsRefusedNamingTheSetting() throws Exception {
    Path json = dir.resolve("tokenizer.json");
    Files.writeString(
        json, "{\"added_tokens\": [], \"model\": {\"type\": \"Unigram\", \"vocab\": []}}");
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> VocabularyPruning.tokenizer(json, new int[] {0}));
    assertEquals(
        "model.prune_vocabulary: only WordPiece vocabularies can be pruned; this tokenizer's model"
            + " is Unigram",
        e.getMessage());
  }

  private DataPreparation.Prepared prepare(boolean prune) throws Exception {
    DataSources sources =
        new DataSources(
            new ConfinedPaths(List.of(dir)),
            1000,
            Duration.ofSeconds(5),
            OutboundPolicy.PUBLIC_ONLY);
    return new DataPreparation(
            sources, new AugmentationInputs(sources, java.util.Optional.empty()), 10_000, 1000)
        .prepare(
            "j",
            JobSpecs.validate(
                    JobSpecs.parse(
                        """
                        model: {source: m, prune_vocabulary: %s}
                        dataset: {uri: data.jsonl, split: {train: 0.6, validation: 0.2, test: 0.2}}
                        training: {per_device_train_batch_size: 4, group_by_length: true}
                        registry: {model_name: r}
                        """
                            .formatted(prune)))
                .spec(),
            BASE);
  }
}
