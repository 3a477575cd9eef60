package dev.kft.bench;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import dev.kft.batch.Split;
import dev.kft.batch.TokenizedBatch;
import dev.kft.checkpoint.HubClient;
import dev.kft.checkpoint.ModelSource;
import dev.kft.io.ConfinedPaths;
import dev.kft.json.Json;
import dev.kft.model.ModelLoader;
import dev.kft.nn.Inference;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Checks that a model directory kft exported (a registered version, for example) gives the same
 * predictions in the independent PyTorch reference as in kft: {@code rows} reviews spread evenly
 * over a {@code label,review} CSV are tokenized with the directory's own {@code tokenizer.json},
 * run through kft, written as {@code inputs.json} for {@code bert_reference.py}, and the two sets
 * of logits are compared; prints the largest difference and how many predictions agree.
 *
 * <p>Usage: {@code bench/run parity MODEL_DIR [ROWS]}.
 */
public final class ExportParity {

  private ExportParity() {}

  /** Arguments: model directory, CSV, rows, and optionally the Python and the reference script. */
  public static void main(String[] args) throws Exception {
    Path model = Path.of(args[0]).toAbsolutePath();
    Path csv = Path.of(args[1]);
    int count = Integer.parseInt(args[2]);
    Path work = Files.createTempDirectory("kft-parity");
    List<String> lines = Files.readAllLines(csv, StandardCharsets.UTF_8);
    List<String> rows = new ArrayList<>();
    // evenly spread, since the file lists one label's rows after the other's
    for (int i = 0; i < count; i++) {
      rows.add(lines.get(1 + (int) ((long) i * (lines.size() - 1) / count)));
    }
    List<long[]> ids = new ArrayList<>();
    int[] labels = new int[count];
    try (HuggingFaceTokenizer tokenizer =
        HuggingFaceTokenizer.builder()
            .optTokenizerPath(model.resolve("tokenizer.json"))
            .optTruncation(true)
            .optMaxLength(128)
            .optPadding(false)
            .build()) {
      for (int i = 0; i < count; i++) {
        String row = rows.get(i);
        labels[i] = row.charAt(0) - '0';
        String text = row.substring(2);
        if (text.startsWith("\"")) {
          text = text.substring(1, text.length() - 1).replace("\"\"", "\"");
        }
        Encoding e = tokenizer.encode(text);
        ids.add(e.getIds());
      }
    }
    int seq = ids.stream().mapToInt(a -> a.length).max().orElse(0);
    int[] flat = new int[count * seq];
    byte[] mask = new byte[count * seq];
    List<List<Long>> inputIds = new ArrayList<>();
    List<List<Integer>> masks = new ArrayList<>();
    List<List<Integer>> types = new ArrayList<>();
    for (int r = 0; r < count; r++) {
      List<Long> idRow = new ArrayList<>();
      List<Integer> maskRow = new ArrayList<>();
      for (int c = 0; c < seq; c++) {
        boolean real = c < ids.get(r).length;
        flat[r * seq + c] = real ? (int) ids.get(r)[c] : 0;
        mask[r * seq + c] = (byte) (real ? 1 : 0);
        idRow.add(real ? ids.get(r)[c] : 0L);
        maskRow.add(real ? 1 : 0);
      }
      inputIds.add(idRow);
      masks.add(maskRow);
      types.add(new ArrayList<>(java.util.Collections.nCopies(seq, 0)));
    }
    Files.writeString(
        work.resolve("inputs.json"),
        Json.mapper()
            .writeValueAsString(
                Map.of("input_ids", inputIds, "attention_mask", masks, "token_type_ids", types)));
    float[][] kft =
        kftLogits(
            model,
            new TokenizedBatch(
                "parity",
                Split.TEST,
                0,
                count,
                seq,
                flat,
                mask,
                new byte[count * seq],
                labels,
                new int[count]));
    Process python =
        new ProcessBuilder(
                args.length > 3 ? args[3] : "/usr/bin/python3",
                args.length > 4
                    ? args[4]
                    : "test-support/src/main/resources/python/bert_reference.py",
                model.resolve("config.json").toString(),
                model.resolve("model.safetensors").toString(),
                work.resolve("inputs.json").toString())
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
    JsonNode torch = Json.mapper().readTree(python.getInputStream()).path("logits");
    if (python.waitFor() != 0) {
      throw new IllegalStateException("the PyTorch reference failed");
    }
    double worst = 0;
    int agree = 0;
    for (int r = 0; r < count; r++) {
      int kftClass = argMax(kft[r]);
      double[] t = new double[kft[r].length];
      for (int c = 0; c < t.length; c++) {
        t[c] = torch.path(r).path(c).asDouble();
        worst = Math.max(worst, Math.abs(t[c] - kft[r][c]));
      }
      int torchClass = t[1] > t[0] ? 1 : 0;
      agree += kftClass == torchClass ? 1 : 0;
    }
    System.out.printf(
        "%d reviews: max |logit difference| %.2e, predictions agreeing %d/%d%n",
        count, worst, agree, count);
  }

  private static float[][] kftLogits(Path model, TokenizedBatch batch) throws Exception {
    ModelLoader loader =
        new ModelLoader(
            new ModelSource(
                new ConfinedPaths(List.of(model.getParent())),
                new HubClient(
                    URI.create("http://127.0.0.1:9"),
                    model.resolve(".hub"),
                    true,
                    Optional.empty())));
    try (NDManager manager = NDManager.newBaseManager()) {
      return new Inference(
              loader
                  .load(
                      new ModelLoader.Request(model.toString(), true, Map.of(), List.of(), 0),
                      manager)
                  .model(),
              16)
          .run(batch)
          .logits();
    }
  }

  private static int argMax(float[] v) {
    int best = 0;
    for (int i = 1; i < v.length; i++) {
      best = v[i] > v[best] ? i : best;
    }
    return best;
  }
}
