package dev.kft.job;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class SpecLinesTest {

  private static final String SPEC =
      """
      # a comment first
      model:
        source: bert-base-chinese
        config_overrides: {num_hidden_layers: 1,
          hidden_size: 32}
      dataset:
        uri: data.csv
      registry:
        approval:
          - eval_accuracy >= 0.5
          - eval_f1 >= 0.4
      training: {learning_rate: -1, num_train_epochs: 2}
      """;

  @Test
  void everyKeyAndItemIsFoundOnItsLine() {
    SpecLines lines = SpecLines.of(SPEC);
    assertEquals(2, lines.lineOf("model"));
    assertEquals(3, lines.lineOf("model.source"));
    assertEquals(5, lines.lineOf("model.config_overrides.hidden_size"));
    assertEquals(7, lines.lineOf("dataset.uri"));
    assertEquals(10, lines.lineOf("registry.approval[0]"));
    assertEquals(11, lines.lineOf("registry.approval[1]"));
    assertEquals(12, lines.lineOf("training.num_train_epochs"));
  }

  @Test
  void aMissingSettingIsShownAtItsSectionAndTheWholeSpecAtNoLine() {
    SpecLines lines = SpecLines.of(SPEC);
    assertEquals(6, lines.lineOf("dataset.label_column"));
    assertEquals(0, lines.lineOf(""));
    assertEquals(0, lines.lineOf("method"));
  }

  @Test
  void theValidatorsProblemsPointAtTheLinesThatCauseThem() {
    List<Problem> problems = JobSpecs.validate(JobSpecs.parse(SPEC)).problems();
    Problem rate =
        problems.stream()
            .filter(p -> p.path().equals("training.learning_rate"))
            .findFirst()
            .orElseThrow(() -> new AssertionError(problems.toString()));
    assertEquals(12, SpecLines.of(SPEC).lineOf(rate.path()));
  }

  @Test
  void textBrokenHalfwayKeepsTheLinesBeforeTheBreak() {
    SpecLines lines = SpecLines.of("model:\n  source: x\ndataset: [unclosed\n");
    assertEquals(2, lines.lineOf("model.source"));
  }
}
