package dev.kft.evaluator.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("unit")
class BestModelTrackerTest {

  @Test
  void patienceCountsEvaluationsWithoutASignificantImprovement() {
    BestModelTracker t = new BestModelTracker("f1", null, 2, 0.01);
    assertEquals("eval_f1", t.metric());
    assertEquals(
        new BestModelTracker.Verdict(true, 2, false), t.record(10, Map.of("eval_f1", 0.80)));
    // Better, but by no more than the threshold: the best moves, patience does not reset.
    assertEquals(
        new BestModelTracker.Verdict(true, 1, false), t.record(20, Map.of("eval_f1", 0.805)));
    assertEquals(20, t.bestStep());
    assertEquals(
        new BestModelTracker.Verdict(true, 2, false), t.record(30, Map.of("eval_f1", 0.90)));
    assertEquals(
        new BestModelTracker.Verdict(false, 1, false), t.record(40, Map.of("eval_f1", 0.85)));
    assertEquals(
        new BestModelTracker.Verdict(false, 0, true), t.record(50, Map.of("eval_f1", 0.90)));
    assertEquals(30, t.bestStep(), "an equal value is not better");
  }

  @Test
  void lossesAreBetterWhenSmaller() {
    BestModelTracker t = new BestModelTracker("eval_loss", null, 1, 0);
    assertTrue(t.record(1, Map.of("eval_loss", 0.7)).best());
    assertTrue(t.record(2, Map.of("eval_loss", 0.5)).best());
    BestModelTracker.Verdict worse = t.record(3, Map.of("eval_loss", 0.6));
    assertFalse(worse.best());
    assertTrue(worse.stop());
    assertEquals(0.5, t.bestValue());
  }

  @Test
  void explicitDirectionWins() {
    BestModelTracker t = new BestModelTracker("eval_loss", true, null, 0);
    t.record(1, Map.of("eval_loss", 0.5));
    assertTrue(t.record(2, Map.of("eval_loss", 0.6)).best());
    assertEquals(-1, t.record(3, Map.of("eval_loss", 0.1)).patienceLeft(), "no early stopping");
  }

  @Test
  void aMissingMetricIsAnErrorNamingTheOthers() {
    BestModelTracker t = new BestModelTracker("f1_weighted", null, 3, 0);
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> t.record(1, Map.of("eval_f1", 0.9, "eval_loss", 0.3)));
    assertEquals(
        "training.metric_for_best_model: 'eval_f1_weighted' is not among the "
            + "evaluation's metrics [eval_f1, eval_loss]",
        e.getMessage());
  }
}
