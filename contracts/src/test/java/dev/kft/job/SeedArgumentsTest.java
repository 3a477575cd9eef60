package dev.kft.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The case study's arguments as its script writes them ({@code TrainingArguments}, {@code
 * LoraConfig}, {@code PromptTuningConfig}, {@code EarlyStoppingCallback}; each resource quotes the
 * Python it transcribes) are accepted job specs with the settings the script meant, and every
 * argument kft does not act on is named in a warning.
 */
@Tag("unit")
class SeedArgumentsTest {

  private static ValidatedSpec seed(String name) throws IOException {
    try (InputStream in = SeedArgumentsTest.class.getResourceAsStream("/seed/" + name)) {
      JsonNode tree = JobSpecs.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
      ValidatedSpec checked = JobSpecs.validate(tree);
      assertTrue(checked.valid(), name + ": " + checked.describeProblems());
      return checked;
    }
  }

  private static List<String> warnings(ValidatedSpec checked) {
    return checked.warnings().stream().map(Problem::path).toList();
  }

  @Test
  void fullFineTuningWithEarlyStopping() throws IOException {
    ValidatedSpec checked = seed("full-fine-tuning.yaml");
    TrainingSpec t = checked.spec().training();
    assertEquals(IntervalStrategy.EPOCH, t.evalStrategy());
    assertEquals(IntervalStrategy.EPOCH, t.saveStrategy());
    assertEquals(2e-5, t.learningRate());
    assertEquals(16, t.perDeviceTrainBatchSize());
    assertEquals(16, t.perDeviceEvalBatchSize());
    assertEquals(3.0, t.numTrainEpochs());
    assertEquals(0.01, t.weightDecay());
    assertEquals("accuracy", t.metricForBestModel());
    assertTrue(t.greaterIsBetter());
    assertEquals(3, t.earlyStoppingPatience());
    assertEquals(
        List.of("training.evaluation_strategy", "training.logging_dir", "training.output_dir"),
        warnings(checked));
  }

  @Test
  void loraWithItsTrainingArguments() throws IOException {
    ValidatedSpec checked = seed("lora.yaml");
    LoraSpec lora = checked.spec().method().lora();
    assertEquals(MethodType.LORA, checked.spec().method().type());
    assertEquals(8, lora.r());
    assertEquals(32.0, lora.loraAlpha());
    assertEquals(0.1, lora.loraDropout());
    TrainingSpec t = checked.spec().training();
    assertEquals(IntervalStrategy.STEPS, t.evalStrategy());
    assertEquals(200L, t.evalSteps());
    assertEquals(2, t.gradientAccumulationSteps());
    assertEquals(0.06, t.warmupRatio());
    assertTrue(t.fp16());
    assertEquals(2, t.saveTotalLimit());
    // load_best_model_at_end without a metric ranks by loss, lower is better, as in transformers
    assertEquals("loss", t.metricForBestModel());
    assertEquals(false, t.greaterIsBetter());
    assertEquals(
        List.of("training.evaluation_strategy", "training.output_dir", "training.report_to"),
        warnings(checked));
  }

  @Test
  void promptTuningConfig() throws IOException {
    ValidatedSpec checked = seed("prompt-tuning.yaml");
    PromptTuningSpec p = checked.spec().method().promptTuning();
    assertEquals(20, p.numVirtualTokens());
    assertEquals(PromptTuningInit.TEXT, p.promptTuningInit());
    assertEquals("判断这条酒店评论的情感是正面还是负面", p.promptTuningInitText());
    assertEquals(List.of("method.prompt_tuning.tokenizer_name_or_path"), warnings(checked));
  }

  @Test
  void aTaskKftDoesNotDoIsAProblem() {
    JsonNode tree =
        JobSpecs.parse(
            """
            model: {source: bert-base-chinese}
            dataset: {uri: d.csv}
            method: {type: lora, lora: {task_type: TOKEN_CLS, inference_mode: true}}
            registry: {model_name: m}
            """);
    assertEquals(
        List.of(
            "method.lora.task_type: kft fine-tunes sequence classifiers (SEQ_CLS), not TOKEN_CLS",
            "method.lora.inference_mode: true would freeze the adapter; a kft job trains it"),
        JobSpecs.validate(tree).problems().stream().map(Problem::toString).toList());
  }
}
