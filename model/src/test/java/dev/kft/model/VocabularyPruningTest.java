package dev.kft.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.kft.batch.TokenizedBatch;
import dev.kft.checkpoint.BertConfig;
import dev.kft.checkpoint.BertInit;
import dev.kft.checkpoint.HubClient;
import dev.kft.checkpoint.ModelExport;
import dev.kft.checkpoint.ModelSource;
import dev.kft.checkpoint.VocabularyPruning;
import dev.kft.io.ConfinedPaths;
import dev.kft.json.Json;
import dev.kft.nn.BertClassifier;
import dev.kft.nn.Inference;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A model with a pruned vocabulary computes what the whole model computes on text made of kept
 * tokens, in kft and, exported as a standalone Hugging Face directory, in PyTorch.
 */
@Tag("unit")
class VocabularyPruningTest {

  /** The special tokens and the tokens of {@link ModelExportTest#batch()}, plus a few more. */
  private static final int[] KEPT = {0, 100, 101, 102, 103, 679, 702, 1962, 2769, 4263, 6821, 8000};

  @TempDir Path dir;

  @Test
  @Tag("parity")
  void aPrunedModelGivesTheWholeModelsLogitsOnKeptTokens() throws Exception {
    BertConfig config = ModelExportTest.tinyChinese(List.of("neg", "pos"));
    float[][] whole;
    long wholeParameters;
    try (NDManager manager = NDManager.newBaseManager();
        BertClassifier model = BertClassifier.create(config, BertInit.random(config, 5), manager)) {
      whole = new Inference(model, 8).run(ModelExportTest.batch()).logits();
      wholeParameters = model.parameters().values().stream().mapToLong(NDArray::size).sum();
      ModelExport.write(
          model.config(), model.toTensors(), ModelExportTest.BERT_BASE_CHINESE, dir.resolve("m"));
    }
    ModelLoader loader =
        new ModelLoader(
            new ModelSource(
                new ConfinedPaths(List.of(dir)),
                new HubClient(
                    URI.create("http://127.0.0.1:9"), dir.resolve("hub"), true, Optional.empty())));
    TokenizedBatch renumbered = renumbered(ModelExportTest.batch());
    Path pruned = dir.resolve("pruned");
    try (NDManager manager = NDManager.newBaseManager()) {
      ModelLoader.Loaded loaded =
          loader.load(new ModelLoader.Request("m", true, Map.of(), List.of(), 1, KEPT), manager);
      BertClassifier model = loaded.model();
      assertEquals(KEPT.length, model.config().vocabSize());
      long parameters = model.parameters().values().stream().mapToLong(NDArray::size).sum();
      assertEquals((21128L - KEPT.length) * 32, wholeParameters - parameters);
      float[][] logits = new Inference(model, 8).run(renumbered).logits();
      for (int r = 0; r < whole.length; r++) {
        for (int c = 0; c < whole[r].length; c++) {
          assertEquals(whole[r][c], logits[r][c], 1e-5, "row " + r);
        }
      }
      Path tokenizer = ModelExportTest.BERT_BASE_CHINESE.resolve("tokenizer.json");
      VocabularyPruning.tokenizer(tokenizer, KEPT)
          .write(ModelExportTest.BERT_BASE_CHINESE, dir.resolve("tokenizer"));
      ModelExport.write(model.config(), model.toTensors(), dir.resolve("tokenizer"), pruned);
    }
    assertEquals(KEPT.length, Files.readAllLines(pruned.resolve("vocab.txt")).size());
    Files.writeString(
        dir.resolve("inputs.json"), Json.mapper().writeValueAsString(inputs(renumbered)));
    ModelExportTest.assertReferenceLogits(whole, dir, pruned);
  }

  @Test
  void aKeptIdBeyondTheModelsVocabularyIsRefused() throws Exception {
    BertConfig config = ModelExportTest.tinyChinese(List.of("neg", "pos"));
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> VocabularyPruning.config(config, new int[] {0, 1, 21128}));
    assertTrue(e.getMessage().contains("token id 21128"), e.getMessage());
  }

  private static TokenizedBatch renumbered(TokenizedBatch b) {
    int[] ids = Arrays.stream(b.inputIds()).map(id -> Arrays.binarySearch(KEPT, id)).toArray();
    assertTrue(Arrays.stream(ids).allMatch(id -> id >= 0), "the batch uses kept tokens only");
    return new TokenizedBatch(
        b.jobId(),
        b.split(),
        b.index(),
        b.rows(),
        b.sequenceLength(),
        ids,
        b.attentionMask(),
        b.tokenTypeIds(),
        b.labels(),
        b.rowIds());
  }

  private static Map<String, List<List<Integer>>> inputs(TokenizedBatch b) {
    int seq = b.sequenceLength();
    return Map.of(
        "input_ids", rows(b.rows(), seq, i -> b.inputIds()[i]),
        "attention_mask", rows(b.rows(), seq, i -> b.attentionMask()[i]),
        "token_type_ids", rows(b.rows(), seq, i -> b.tokenTypeIds()[i]));
  }

  private static List<List<Integer>> rows(
      int rows, int seq, java.util.function.IntUnaryOperator at) {
    return IntStream.range(0, rows)
        .mapToObj(
            r -> IntStream.range(0, seq).map(c -> at.applyAsInt(r * seq + c)).boxed().toList())
        .toList();
  }
}
