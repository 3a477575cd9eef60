package dev.kft.registry.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("unit")
class ApprovalRuleTest {

  private static final Map<String, Double> METRICS =
      Map.of("eval_f1", 0.85, "eval_loss", 0.31, "test_accuracy", 0.9);

  @Test
  void everyRuleMustHoldAndEachFailureShowsTheFigure() {
    assertEquals(
        List.of(),
        ApprovalRule.failures(
            List.of("eval_f1 >= 0.85", "f1 > 0.8", "eval_loss<0.5", "test_accuracy == 0.9"),
            METRICS));
    List<String> failed =
        ApprovalRule.failures(List.of("eval_f1 > 0.85", "eval_loss <= 0.3"), METRICS);
    assertEquals(
        List.of(
            "eval_f1 > 0.850000: eval_f1 is 0.850000",
            "eval_loss <= 0.300000: eval_loss is 0.310000"),
        failed);
  }

  @Test
  void aMetricTheCandidateLacksFailsNamingWhatItHas() {
    String failure = ApprovalRule.failures(List.of("test_f1 >= 0.5"), METRICS).get(0);
    assertTrue(failure.contains("has no test_f1"), failure);
    assertTrue(failure.contains("eval_f1, eval_loss, test_accuracy"), failure);
  }
}
