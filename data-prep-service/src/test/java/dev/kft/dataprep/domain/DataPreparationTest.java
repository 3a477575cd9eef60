package dev.kft.dataprep.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.kft.batch.Split;
import dev.kft.batch.TokenizedBatch;
import dev.kft.io.ConfinedPaths;
import dev.kft.job.JobSpec;
import dev.kft.job.JobSpecs;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@Tag("unit")
class DataPreparationTest {

  private static final Path TOKENIZER =
      Path.of("..", "models", "bert-base-chinese", "tokenizer.json");
  private static final BaseModel BASE =
      new BaseModel(TOKENIZER, 21128, 768, 512, Map.of("source", "m"));

  @TempDir Path dir;

  private DataPreparation preparation(long maxHttpBytes) {
    DataSources sources =
        new DataSources(
            new ConfinedPaths(List.of(dir)),
            maxHttpBytes,
            Duration.ofSeconds(5),
            OutboundPolicy.PUBLIC_ONLY);
    return new DataPreparation(
        sources, new AugmentationInputs(sources, java.util.Optional.empty()), 10_000, 1000);
  }

  private static JobSpec spec(String dataset, String model) {
    return JobSpecs.validate(
            JobSpecs.parse(
                """
        model: {source: m%s}
        dataset: %s
        training: {per_device_train_batch_size: 2, per_device_eval_batch_size: 3}
        registry: {model_name: r}
        """
                    .formatted(model, dataset)))
        .spec();
  }

  private static String jsonl(int rows, int offset) {
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < rows; i++) {
      s.append("{\"premise\": \"今天天气很好")
          .append(i + offset)
          .append("\", \"hypothesis\": \"天气不错\", \"label\": \"")
          .append(i % 2 == 0 ? "entailment" : "neutral")
          .append("\"}\n");
    }
    return s.toString();
  }

  @Test
  void separateJsonlFilesOfSentencePairsArePaddedToMaxLength() throws Exception {
    Files.writeString(dir.resolve("train.jsonl"), jsonl(6, 0));
    Files.writeString(dir.resolve("dev.jsonl"), jsonl(4, 100));
    JobSpec spec =
        spec(
            "{train_uri: train.jsonl, validation_uri: dev.jsonl, text_column: "
                + "premise, text_pair_column: hypothesis}",
            ", max_length: 12, padding: max_length");
    DataPreparation.Prepared prepared = preparation(1000).prepare("j", spec, BASE);
    assertEquals(List.of("entailment", "neutral"), prepared.labels());
    assertEquals(3, prepared.batches().get(Split.TRAIN).size());
    assertEquals(2, prepared.batches().get(Split.VALIDATION).size());
    assertEquals(null, prepared.batches().get(Split.TEST));
    TokenizedBatch batch = prepared.batches().get(Split.VALIDATION).get(0);
    assertEquals(12, batch.sequenceLength(), "padded to max_length");
    assertEquals(102, batch.inputIds()[11], "truncated pairs still end with [SEP]");
    assertEquals(101, batch.inputIds()[0], "[CLS] first");
    int secondSegment = 0;
    for (byte t : batch.tokenTypeIds()) {
      secondSegment += t;
    }
    assertTrue(secondSegment > 0, "the hypothesis is segment 1");
    assertTrue(
        prepared.splits().get(Split.TRAIN).tokens().truncated() == 6,
        "every pair is longer than 12 tokens");
  }

  @Test
  void groupByLengthBatchesTrainRowsOfSimilarLength() throws Exception {
    StringBuilder rows = new StringBuilder();
    Random random = new Random(3);
    for (int i = 0; i < 300; i++) {
      rows.append("{\"text\": \"")
          .append("好".repeat(1 + random.nextInt(40)))
          .append(i)
          .append("\", \"label\": \"")
          .append(i % 2 == 0 ? "pos" : "neg")
          .append("\"}\n");
    }
    Files.writeString(dir.resolve("train.jsonl"), rows);
    Files.writeString(
        dir.resolve("dev.jsonl"), rows.toString().replace("\", \"label", "x\", \"label"));
    String yaml =
        """
        model: {source: m}
        dataset: {train_uri: train.jsonl, validation_uri: dev.jsonl}
        training: {per_device_train_batch_size: 2, per_device_eval_batch_size: 8,
          group_by_length: %s}
        registry: {model_name: r}
        """;
    List<TokenizedBatch> plain = prepare(yaml.formatted("false")).get(Split.TRAIN);
    Map<Split, List<TokenizedBatch>> groupedSplits = prepare(yaml.formatted("true"));
    List<TokenizedBatch> grouped = groupedSplits.get(Split.TRAIN);
    List<TokenizedBatch> validation = groupedSplits.get(Split.VALIDATION);
    for (int b = 1; b < validation.size(); b++) {
      assertTrue(validation.get(b).sequenceLength() <= validation.get(b - 1).sequenceLength());
    }
    assertEquals(rowIds(plain), rowIds(grouped), "the same rows, each once");
    long tokens = 0;
    for (TokenizedBatch b : grouped) {
      for (byte m : b.attentionMask()) {
        tokens += m;
      }
    }
    assertTrue(
        padded(grouped) <= 1.05 * tokens && padded(plain) > 1.15 * tokens,
        "padded " + padded(grouped) + " grouped, " + padded(plain) + " not, tokens " + tokens);
    // 300 rows in batches of 2: mega-batches of 50 batches, each sorted longest first
    for (int b = 1; b < grouped.size(); b++) {
      if (b % 50 != 0) {
        assertTrue(grouped.get(b).sequenceLength() <= grouped.get(b - 1).sequenceLength());
      }
    }
  }

  private Map<Split, List<TokenizedBatch>> prepare(String yaml) throws Exception {
    JobSpec spec = JobSpecs.validate(JobSpecs.parse(yaml)).spec();
    return preparation(100_000).prepare("j", spec, BASE).batches();
  }

  private static List<Integer> rowIds(List<TokenizedBatch> batches) {
    return batches.stream().flatMapToInt(b -> Arrays.stream(b.rowIds())).sorted().boxed().toList();
  }

  private static long padded(List<TokenizedBatch> batches) {
    return batches.stream().mapToLong(b -> (long) b.rows() * b.sequenceLength()).sum();
  }

  @Test
  void httpDownloadsStopAtTheSizeLimit() throws Exception {
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    byte[] body = ("label,text\n" + "1,好\n0,差\n".repeat(200)).getBytes();
    server.createContext(
        "/",
        exchange -> {
          exchange.sendResponseHeaders(200, 0);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
          }
        });
    server.start();
    try {
      DataSources sources =
          new DataSources(
              new ConfinedPaths(List.of(dir)),
              1000,
              Duration.ofSeconds(5),
              new OutboundPolicy(List.of("127.0.0.1")));
      String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/d.csv";
      DataProblem e =
          assertThrows(
              DataProblem.class,
              () -> {
                try (InputStream in = sources.open(url)) {
                  in.readAllBytes();
                }
              });
      assertEquals("'" + url + "' is larger than the limit of 1000 bytes", e.getMessage());
    } finally {
      server.stop(0);
    }
  }

  @Test
  void aMaxLengthBeyondTheModelsPositionsIsRefusedBeforeAnyRowIsRead() {
    JobSpec spec = spec("{uri: nowhere.csv}", ", max_length: 1024");
    DataProblem e =
        assertThrows(DataProblem.class, () -> preparation(1000).prepare("j", spec, BASE));
    assertEquals(
        "model.max_length is 1024, but the model has position embeddings for 512 tokens"
            + " (max_position_embeddings): use at most 512",
        e.getMessage());
  }
}
