package dev.kft.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kft.json.Json;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("unit")
class JobSpecTest {

  private static final String MINIMAL =
      """
      model: {source: models/bert-base-chinese}
      dataset: {uri: data/reviews.csv}
      registry: {model_name: reviews}
      """;

  private static ValidatedSpec validate(String yaml) {
    return JobSpecs.validate(JobSpecs.parse(yaml));
  }

  private static List<String> problems(String yaml) {
    return validate(yaml).problems().stream().map(Problem::toString).toList();
  }

  @Test
  void minimalSpecTakesHuggingFaceDefaults() {
    JobSpec spec = validate(MINIMAL).spec();
    TrainingSpec t = spec.training();
    assertEquals(3.0, t.numTrainEpochs());
    assertEquals(-1L, t.maxSteps());
    assertEquals(8, t.perDeviceTrainBatchSize());
    assertEquals(8, t.perDeviceEvalBatchSize());
    assertEquals(5e-5, t.learningRate());
    assertEquals(0.0, t.weightDecay());
    assertEquals(0.9, t.adamBeta1());
    assertEquals(0.999, t.adamBeta2());
    assertEquals(1e-8, t.adamEpsilon());
    assertEquals("linear", t.lrSchedulerType().id());
    assertEquals(1.0, t.maxGradNorm());
    assertEquals(42L, t.seed());
    assertEquals(500L, t.loggingSteps());
    assertEquals("no", t.evalStrategy().id());
    assertEquals("steps", t.saveStrategy().id());
    assertFalse(t.loadBestModelAtEnd());
    assertNull(t.metricForBestModel());
    assertFalse(t.earlyStopping());
    assertEquals("full", spec.method().type().id());
    assertEquals("pretrained", spec.model().init().id());
    assertEquals(128, spec.model().maxLength());
    assertEquals("text", spec.dataset().textColumn());
    assertEquals(0.8, spec.dataset().split().train());
  }

  /**
   * A script's TrainingArguments carry over verbatim: the deprecated evaluation_strategy is read as
   * eval_strategy and arguments without effect are set aside, each named in a warning.
   */
  @Test
  void trainingArgumentsOfAScriptCarryOverWithWarnings() {
    String yaml =
        MINIMAL
            + """
            training:
              output_dir: ./results
              evaluation_strategy: epoch
              save_strategy: epoch
              learning_rate: 2.0e-5
              per_device_train_batch_size: 16
              per_device_eval_batch_size: 16
              num_train_epochs: 3
              weight_decay: 0.01
              load_best_model_at_end: true
              metric_for_best_model: accuracy
              logging_dir: ./logs
              logging_steps: 10
              report_to: none
            """;
    JsonNode tree = JobSpecs.parse(yaml);
    ValidatedSpec validated = JobSpecs.validate(tree);
    assertEquals(List.of(), validated.problems());
    assertEquals(IntervalStrategy.EPOCH, validated.spec().training().evalStrategy());
    assertEquals(16, validated.spec().training().perDeviceTrainBatchSize());
    assertEquals(
        List.of(
            "training.evaluation_strategy: is deprecated in transformers; read as"
                + " training.eval_strategy",
            "training.logging_dir: has no effect in kft (progress is published as events on"
                + " kft.job-events); accepted and ignored",
            "training.output_dir: has no effect in kft (checkpoints go to the trainer's artifact"
                + " store); accepted and ignored",
            "training.report_to: has no effect in kft (progress is published as events and"
                + " Prometheus metrics); accepted and ignored"),
        validated.warnings().stream().map(Problem::toString).toList());
    assertTrue(tree.path("training").has("evaluation_strategy"), "the submitted tree is kept");
  }

  @Test
  void aDeprecatedNameBesideItsCurrentOneIsAProblem() {
    assertEquals(
        List.of(
            "training.evaluation_strategy: is the deprecated name of eval_strategy, which is"
                + " given too"),
        problems(MINIMAL + "training: {evaluation_strategy: steps, eval_strategy: epoch}\n"));
  }

  @Test
  void loraDefaultsFollowPeft() {
    JobSpec spec = validate(MINIMAL + "method: {type: lora}\n").spec();
    LoraSpec lora = spec.method().lora();
    assertEquals(8, lora.r());
    assertEquals(8.0, lora.loraAlpha());
    assertEquals(0.0, lora.loraDropout());
    assertEquals(List.of("query", "value"), lora.targetModules().names());
    assertEquals("none", lora.bias().id());
    assertEquals(List.of("classifier"), lora.modulesToSave());
  }

  @Test
  void bestModelMetricDefaultsLikeHuggingFace() {
    String yaml =
        MINIMAL
            + "training: {eval_strategy: epoch, save_strategy: epoch,"
            + " load_best_model_at_end: true}\n";
    TrainingSpec t = validate(yaml).spec().training();
    assertEquals("loss", t.metricForBestModel());
    assertFalse(t.greaterIsBetter(), "a loss is better when smaller");
    String f1 =
        MINIMAL
            + "training: {eval_strategy: epoch, metric_for_best_model: eval_f1,"
            + " early_stopping_patience: 2}\n";
    assertTrue(validate(f1).spec().training().greaterIsBetter());
  }

  @Test
  void scientificNotationWithoutADotIsANumber() {
    JobSpec spec = validate(MINIMAL + "training: {learning_rate: 2e-5}\n").spec();
    assertEquals(2e-5, spec.training().learningRate());
  }

  @Test
  void misspeltKeyGetsAHint() {
    assertEquals(
        List.of("training.learning_rat: unknown key; did you mean 'learning_rate'?"),
        problems(MINIMAL + "training: {learning_rat: 0.001}\n"));
  }

  @Test
  void messageSaysWhatWasFound() {
    assertEquals(
        List.of("training.learning_rate: must be > 0, got -1"),
        problems(MINIMAL + "training: {learning_rate: -1}\n"));
  }

  @Test
  void splitFractionsMustSumToOne() {
    assertEquals(
        List.of(
            "dataset.split: train + validation + test must be 1 (unset ones count 0.8, 0.1,"
                + " 0.1), got 0.9"),
        problems(MINIMAL.replace("{uri: data/reviews.csv}", "{uri: x.csv, split: {train: 0.7}}")));
  }

  @Test
  void bestModelNeedsSaveStepsAtEvaluations() {
    String yaml =
        MINIMAL
            + "training: {eval_strategy: steps, eval_steps: 300, save_steps: 500,"
            + " load_best_model_at_end: true}\n";
    assertEquals(
        List.of(
            "training.save_steps: must be a multiple of eval_steps (300) when"
                + " load_best_model_at_end is true, got 500"),
        problems(yaml));
  }

  @Test
  void targetPatternMustMatchAModule() {
    String yaml = MINIMAL + "method: {type: lora, lora: {target_modules: 'foo.*bar'}}\n";
    assertEquals(1, problems(yaml).size());
    assertTrue(problems(yaml).get(0).startsWith("method.lora.target_modules: regular expression"));
    String ok =
        MINIMAL + "method: {type: lora, lora: {target_modules: '.*layer\\.1[01]\\..*query'}}\n";
    assertTrue(validate(ok).valid(), validate(ok).describeProblems());
    assertEquals(
        ".*layer\\.1[01]\\..*query", validate(ok).spec().method().lora().targetModules().pattern());
  }

  @Test
  void labelsAndNumLabelsMustAgree() {
    String yaml =
        MINIMAL.replace(
            "{source: models/bert-base-chinese}", "{source: m, labels: [neg, pos], num_labels: 3}");
    assertEquals(List.of("model.num_labels: is 3 but labels names 2"), problems(yaml));
  }

  @Test
  void aBatchThatCouldNotTravelAsOneKafkaRecordIsRefusedWithTheSizeThatFits() {
    String yaml =
        MINIMAL.replace("model: {", "model: {max_length: 512, ")
            + "training: {per_device_train_batch_size: 32, per_device_eval_batch_size: 4096}\n";
    assertEquals(
        List.of(
            "training.per_device_eval_batch_size: 4096 rows of model.max_length 512 tokens can take"
                + " 8,945,818 bytes, more than the 1,000,000 one Kafka record carries; use at most"
                + " 457"),
        problems(yaml));
  }

  @Test
  void aSpecThatIsNotAMappingIsRejected() {
    assertEquals(
        List.of("a job spec must be a mapping of sections, got a list"), problems("[1, 2]"));
  }

  @Test
  void yamlSyntaxErrorSaysWhere() {
    SpecSyntaxException e =
        assertThrows(SpecSyntaxException.class, () -> JobSpecs.parse("model: {source: [x\n"));
    assertTrue(e.getMessage().startsWith("line "), e.getMessage());
  }

  @Test
  void aKeyGivenTwiceIsASyntaxErrorNamingIt() {
    SpecSyntaxException e =
        assertThrows(
            SpecSyntaxException.class,
            () ->
                JobSpecs.parse(
                    "model: {source: m}\ntraining: {learning_rate: 0.1, learning_rate: 0.2}\n"));
    assertTrue(
        e.getMessage().startsWith("line 2, column ")
            && e.getMessage().endsWith(": the key 'learning_rate' is given twice in one section"),
        e.getMessage());
  }

  @Test
  void boundSpecSurvivesJson() throws Exception {
    JobSpec spec =
        validate(MINIMAL + "method: {type: lora, lora: {target_modules: all-linear}}\n").spec();
    JsonNode tree = Json.mapper().valueToTree(spec);
    assertEquals("all-linear", tree.at("/method/lora/target_modules").asText());
    assertEquals(5e-5, tree.at("/training/learning_rate").asDouble());
    assertEquals(spec, Json.mapper().treeToValue(tree, JobSpec.class));
    assertTrue(JobSpecs.validate(tree).valid(), JobSpecs.validate(tree).describeProblems());
  }

  @Test
  void pretrainedModelsMayDropLayersAndChangeDropoutButNotShapes() {
    String fitted =
        """
        model: {source: m, config_overrides: {num_hidden_layers: 4, hidden_dropout_prob: 0.2}}
        dataset: {uri: d.csv}
        registry: {model_name: r}
        """;
    assertTrue(validate(fitted).valid(), validate(fitted).describeProblems());
    String kept =
        fitted.replace(
            "hidden_dropout_prob: 0.2",
            "classifier_dropout: 0.3, layer_norm_eps: 1.0e-5, hidden_act: relu,"
                + " initializer_range: 0.01");
    assertTrue(validate(kept).valid(), validate(kept).describeProblems());
    assertEquals(1.0e-5, validate(kept).spec().model().configOverrides().get("layer_norm_eps"));
    assertEquals(
        List.of(
            "model.config_overrides.vocab_size: would change the shape of pretrained weights; with"
                + " init: pretrained only [hidden_dropout_prob, attention_probs_dropout_prob,"
                + " classifier_dropout, layer_norm_eps, hidden_act, initializer_range,"
                + " num_hidden_layers] may change (num_hidden_layers: keep the first N layers)"),
        problems(fitted.replace("hidden_dropout_prob: 0.2", "vocab_size: 100")));
  }

  @Test
  void setOverridesOneValueReadAsYaml() {
    JsonNode tree = JobSpecs.parse(MINIMAL);
    JobSpecs.override(tree, "training.learning_rate=3e-5");
    JobSpecs.override(tree, "training.num_train_epochs = 2");
    JobSpecs.override(tree, "registry.aliases=[staging, canary]");
    ValidatedSpec checked = JobSpecs.validate(tree);
    assertTrue(checked.valid(), checked.describeProblems());
    assertEquals(3e-5, checked.spec().training().learningRate());
    assertEquals(2.0, checked.spec().training().numTrainEpochs().doubleValue());
    assertEquals(List.of("staging", "canary"), checked.spec().registry().aliases());

    JobSpecs.override(tree, "training.learning_rate=null");
    assertFalse(tree.path("training").has("learning_rate"), "null removes the key");
    JobSpecs.override(tree, "training.lerning_rate=1");
    assertEquals(
        "training.lerning_rate", JobSpecs.validate(tree).problems().get(0).path(), "set as given");
  }

  @Test
  void aSetThatCannotApplyIsNamed() {
    JsonNode tree = JobSpecs.parse(MINIMAL);
    assertEquals(
        "--set model.source.revision=main: model.source is a value, not a section",
        assertThrows(
                IllegalArgumentException.class,
                () -> JobSpecs.override(tree, "model.source.revision=main"))
            .getMessage());
    assertEquals(
        "--set learning_rate: expected section.key=value, e.g. training.learning_rate=3e-5",
        assertThrows(IllegalArgumentException.class, () -> JobSpecs.override(tree, "learning_rate"))
            .getMessage());
    assertTrue(
        assertThrows(
                IllegalArgumentException.class, () -> JobSpecs.override(tree, "training.seed=[1"))
            .getMessage()
            .startsWith("--set training.seed=[1: "));
  }
}
