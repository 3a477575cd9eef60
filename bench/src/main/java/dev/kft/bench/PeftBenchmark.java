package dev.kft.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import dev.kft.batch.TokenizedBatch;
import dev.kft.checkpoint.BertConfig;
import dev.kft.checkpoint.BertInit;
import dev.kft.checkpoint.TensorData;
import dev.kft.job.AdapterSpec;
import dev.kft.job.AdapterType;
import dev.kft.job.LoraBias;
import dev.kft.job.LoraSpec;
import dev.kft.job.MethodSpec;
import dev.kft.job.MethodType;
import dev.kft.job.PromptTuningInit;
import dev.kft.job.PromptTuningSpec;
import dev.kft.job.SchedulerType;
import dev.kft.json.Json;
import dev.kft.nn.BertClassifier;
import dev.kft.nn.DropoutMasks;
import dev.kft.peft.Peft;
import dev.kft.peft.PeftMethod;
import dev.kft.trainer.training.AdamW;
import dev.kft.trainer.training.LearningRateSchedule;
import dev.kft.trainer.training.TrainingStep;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Step time and memory of each fine-tuning method (full, LoRA r=8 on query/value, Pfeiffer adapters
 * with reduction 16, prompt tuning with 20 virtual tokens) at L4/H256 and at bert-base geometry,
 * batch 8, seq 128. Each measurement runs in its own JVM so that peak resident memory belongs to
 * one method alone; the peak is reset after the model is built, so it covers training.
 *
 * <p>Usage: {@code bench/run peft}.
 */
public final class PeftBenchmark {

  private static final int BATCH = 8;
  private static final int SEQ = 128;
  private static final List<String> METHODS = List.of("full", "lora", "adapter", "prompt_tuning");

  private PeftBenchmark() {}

  public static void main(String[] args) throws Exception {
    if (args.length == 3 && args[0].equals("one")) {
      System.out.println(one(args[1], args[2]));
      return;
    }
    // args: [steps [python script]]: the Python reference runs when its script is given
    int steps = args.length > 0 ? Integer.parseInt(args[0]) : 3;
    List<String> rows = new ArrayList<>();
    for (String geometry : List.of("L4/H256", "bert-base")) {
      Map<String, JsonNode> results = new LinkedHashMap<>();
      for (String method : METHODS) {
        results.put(method, child(geometry, method, steps));
      }
      JsonNode full = results.get("full");
      results.forEach(
          (method, r) ->
              rows.add(
                  String.format(
                      Locale.ROOT,
                      "| %-9s | %-13s | %,11d | %7.0f | %6.2f× | %6.0f | %5.2f× | %6.0f |",
                      geometry,
                      method,
                      r.get("trainable").asLong(),
                      r.get("stepMs").asDouble(),
                      r.get("stepMs").asDouble() / full.get("stepMs").asDouble(),
                      r.get("peakRssMb").asDouble(),
                      r.get("peakRssMb").asDouble() / full.get("peakRssMb").asDouble(),
                      r.get("stateMb").asDouble())));
    }
    System.out.printf(
        Locale.ROOT,
        "PEFT methods, batch %d, seq %d, %d timed steps after one warm-up (median ms),%n"
            + "peak RSS during training (MiB) and parameters+gradients+AdamW state in native"
            + " arrays (MiB)%n%n",
        BATCH,
        SEQ,
        steps);
    System.out.println(
        "| geometry  | method        |   trainable | step ms | vs full | RSS MiB | vs full | state MiB |");
    System.out.println(
        "| --------- | ------------- | ----------: | ------: | ------: | ------: | ------: | --------: |");
    rows.forEach(System.out::println);
    if (args.length > 2) {
      JsonNode full = torch(args[1], args[2], "full");
      JsonNode lora = torch(args[1], args[2], "lora");
      System.out.printf(
          Locale.ROOT,
          "%nPyTorch eager reference at bert-base (LoRA by hand on query/value, same settings):"
              + " full %.0f ms, %.0f MiB; LoRA %.0f ms, %.0f MiB (%.2f× full's RSS)%n",
          full.get("stepMs").asDouble(),
          full.get("peakRssMb").asDouble(),
          lora.get("stepMs").asDouble(),
          lora.get("peakRssMb").asDouble(),
          lora.get("peakRssMb").asDouble() / full.get("peakRssMb").asDouble());
    }
  }

  /** The PyTorch reference's figures for one method. */
  private static JsonNode torch(String python, String script, String method)
      throws IOException, InterruptedException {
    Process process =
        new ProcessBuilder(python, script, method)
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
    String out = new String(process.getInputStream().readAllBytes());
    if (process.waitFor() != 0) {
      throw new IllegalStateException(script + " " + method + " failed: " + out);
    }
    return Json.mapper().readTree(out.lines().reduce((a, b) -> b).orElseThrow());
  }

  /** Runs one measurement in a fresh JVM with this one's class path and settings. */
  private static JsonNode child(String geometry, String method, int steps)
      throws IOException, InterruptedException {
    List<String> command =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xms32m",
                "-XX:+UseSerialGC",
                "-XX:MinHeapFreeRatio=5",
                "-XX:MaxHeapFreeRatio=10",
                "-Dai.djl.offline=true",
                "-Dkft.bench.steps=" + steps));
    for (String p : List.of("ai.djl.pytorch.num_threads", "ai.djl.pytorch.num_interop_threads")) {
      if (System.getProperty(p) != null) {
        command.add("-D" + p + "=" + System.getProperty(p));
      }
    }
    command.addAll(
        List.of(
            "-cp",
            System.getProperty("java.class.path"),
            PeftBenchmark.class.getName(),
            "one",
            geometry,
            method));
    Process process =
        new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    String out = new String(process.getInputStream().readAllBytes());
    if (process.waitFor() != 0) {
      throw new IllegalStateException(geometry + " " + method + " failed: " + out);
    }
    String last = out.lines().reduce((a, b) -> b).orElseThrow();
    System.err.println(geometry + " " + method + ": " + last);
    return Json.mapper().readTree(last);
  }

  private static BertConfig config(String geometry) throws IOException {
    JsonNode base =
        Json.mapper().readTree(Path.of("models/bert-base-chinese/config.json").toFile());
    BertConfig config = BertConfig.parse(base).withLabels(List.of("negative", "positive"));
    if (geometry.equals("L4/H256")) {
      config =
          config.withOverrides(
              Map.of(
                  "num_hidden_layers", 4,
                  "hidden_size", 256,
                  "num_attention_heads", 4,
                  "intermediate_size", 1024));
    }
    return config;
  }

  private static MethodSpec method(String name) {
    return switch (name) {
      case "lora" ->
          new MethodSpec(
              MethodType.LORA,
              new LoraSpec(8, 16.0, 0.1, null, LoraBias.NONE, null, false),
              null,
              null);
      case "adapter" ->
          new MethodSpec(MethodType.ADAPTER, null, new AdapterSpec(AdapterType.PFEIFFER, 16), null);
      case "prompt_tuning" ->
          new MethodSpec(
              MethodType.PROMPT_TUNING,
              null,
              null,
              new PromptTuningSpec(20, PromptTuningInit.RANDOM, null));
      default -> new MethodSpec(MethodType.FULL, null, null, null);
    };
  }

  /** One method at one geometry, in this JVM: a JSON line of figures. */
  private static String one(String geometry, String name) throws Exception {
    int steps = Integer.getInteger("kft.bench.steps", 3);
    BertConfig config = config(geometry);
    MethodSpec spec = method(name);
    Optional<PeftMethod> method = Peft.of(spec, config, null);
    try (NDManager manager = NDManager.newBaseManager()) {
      BertClassifier model = BertClassifier.create(config, BertInit.random(config, 1), manager);
      method.ifPresent(
          m -> model.extend(m.init(1, n -> new TensorData(new long[] {0}, new float[0])), m::bind));
      model.requireGradients(n -> method.map(m -> m.trains(n)).orElse(true));
      Map<String, NDArray> trainable = model.trainableParameters();
      long all = model.parameters().values().stream().mapToLong(NDArray::size).sum();
      long trained = trainable.values().stream().mapToLong(NDArray::size).sum();
      try (AdamW optimizer = new AdamW(manager, 0.9, 0.999, 1e-8, 0.01, Set.of())) {
        TrainingStep step =
            new TrainingStep(
                model,
                trainable,
                optimizer,
                new LearningRateSchedule(SchedulerType.CONSTANT, 1e-5, 0, 1000),
                1.0);
        TokenizedBatch batch = RandomBatch.of(BATCH, SEQ, config.vocabSize(), 3);
        step.run(List.of(batch), DropoutMasks.seeded(1));
        System.gc();
        Files.writeString(Path.of("/proc/self/clear_refs"), "5");
        long startRssKb = status("VmRSS:");
        double[] millis = new double[steps];
        for (int i = 0; i < steps; i++) {
          long start = System.nanoTime();
          step.run(List.of(batch), DropoutMasks.seeded(1));
          millis[i] = (System.nanoTime() - start) / 1e6;
        }
        java.util.Arrays.sort(millis);
        double stateMb = (all + 3 * trained) * 4.0 / (1 << 20);
        return String.format(
            Locale.ROOT,
            "{\"trainable\": %d, \"all\": %d, \"stepMs\": %.1f, \"peakRssMb\": %.1f,"
                + " \"startRssMb\": %.1f, \"stateMb\": %.1f}",
            trained,
            all,
            millis[steps / 2],
            status("VmHWM:") / 1024.0,
            startRssKb / 1024.0,
            stateMb);
      }
    }
  }

  /** A {@code /proc/self/status} figure in KiB. */
  private static long status(String field) throws IOException {
    return Files.readAllLines(Path.of("/proc/self/status")).stream()
        .filter(l -> l.startsWith(field))
        .map(l -> Long.parseLong(l.replaceAll("[^0-9]", "")))
        .findFirst()
        .orElseThrow();
  }
}
