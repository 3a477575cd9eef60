package dev.kft.cli;

import dev.kft.events.CheckpointEvaluated;
import dev.kft.events.DatasetPrepared;
import dev.kft.events.ModelCandidate;
import dev.kft.events.TrainingProgress;
import dev.kft.events.TrainingStarted;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/** One-line renderings of job events for people. */
final class Render {

  private static final String[] HEADLINE = {"loss", "accuracy", "f1", "f1_macro", "roc_auc"};

  private Render() {}

  static String prepared(DatasetPrepared p) {
    String splits =
        p.splits().entrySet().stream()
            .map(e -> e.getKey() + " " + e.getValue().rows())
            .collect(Collectors.joining(", "));
    String vocabulary =
        p.vocabulary() == null
            ? ""
            : String.format(
                Locale.ROOT,
                "; vocabulary pruned to %d of %d tokens (%,d parameters saved)",
                p.vocabulary().keptTokens(),
                p.vocabulary().sourceTokens(),
                p.vocabulary().parametersSaved());
    return String.format(
        Locale.ROOT,
        "data: %d rows read, dropped %s; %s rows; labels %s; max_length %d%s%s",
        p.rowsRead(),
        p.dropped(),
        splits,
        p.labelNames(),
        p.maxLength(),
        vocabulary,
        augmentation(p.augmentation()));
  }

  /** What each augmentation operation made of its draws, and from which lexicon. */
  static String augmentation(DatasetPrepared.AugmentationReport a) {
    if (a == null) {
      return "";
    }
    String operations =
        a.operations().entrySet().stream()
            .map(
                e ->
                    String.format(
                        Locale.ROOT,
                        "%s %d of %d (%d words)",
                        e.getKey(),
                        e.getValue().made(),
                        e.getValue().drawn(),
                        e.getValue().wordsChanged()))
            .collect(Collectors.joining(", "));
    return "; augmentation made "
        + operations
        + " (segmentation "
        + a.segmentation()
        + (a.lexicon() == null ? "" : ", synonyms from " + a.lexicon())
        + ")";
  }

  static String started(TrainingStarted s) {
    return String.format(
        Locale.ROOT,
        "training (%s) on %s%s: %d steps%s; %s%s",
        s.method(),
        s.device(),
        "bf16".equals(s.precision()) ? " in bf16" : "",
        s.totalSteps(),
        s.resumedFromStep() > 0 ? ", resumed from step " + s.resumedFromStep() : "",
        s.trainableParameters(),
        s.unusedWeights() == null || s.unusedWeights().isEmpty()
            ? ""
            : "; left out of the checkpoint: " + String.join(", ", s.unusedWeights()));
  }

  /**
   * @param stepsPerSecond the pace since the first report seen, or 0 when unknown
   */
  static String progress(TrainingProgress p, double stepsPerSecond, boolean bar) {
    double done = p.totalSteps() == 0 ? 1 : (double) p.step() / p.totalSteps();
    String eta =
        stepsPerSecond > 0
            ? " ETA " + duration((long) ((p.totalSteps() - p.step()) / stepsPerSecond))
            : "";
    String figures =
        String.format(
                Locale.ROOT,
                "step %d/%d epoch %.2f loss %.4f lr %.2e %.1f samples/s%s",
                p.step(),
                p.totalSteps(),
                p.epoch(),
                p.loss(),
                p.learningRate(),
                p.samplesPerSecond(),
                eta)
            + (p.lossScale() == null
                ? ""
                : String.format(
                    Locale.ROOT, " loss scale %.0f (%d skipped)", p.lossScale(), p.skippedSteps()));
    if (!bar) {
      return "progress: " + figures;
    }
    int width = 24;
    int filled = (int) Math.round(done * width);
    return "[" + "#".repeat(filled) + ".".repeat(width - filled) + "] " + figures;
  }

  static String evaluated(CheckpointEvaluated c) {
    return String.format(
        Locale.ROOT,
        "eval step %d: %s%s%s",
        c.step(),
        headline(c.metrics(), "eval_"),
        c.best() ? " [best]" : "",
        c.patienceLeft() >= 0 ? " patience left " + c.patienceLeft() : "");
  }

  static String candidate(ModelCandidate c) {
    return String.format(
        Locale.ROOT,
        "candidate: checkpoint step %d; test %s",
        c.step(),
        c.testMetrics().isEmpty() ? "(no test split)" : headline(c.testMetrics(), "test_"));
  }

  static String headline(Map<String, Double> metrics, String prefix) {
    StringBuilder s = new StringBuilder();
    for (String name : HEADLINE) {
      Double v = metrics.get(prefix + name);
      if (v != null) {
        s.append(String.format(Locale.ROOT, "%s %.4f  ", name, v));
      }
    }
    return s.toString().trim();
  }

  static String duration(long seconds) {
    Duration d = Duration.ofSeconds(Math.max(0, seconds));
    return d.toHours() > 0
        ? String.format(Locale.ROOT, "%dh%02dm", d.toHours(), d.toMinutesPart())
        : String.format(Locale.ROOT, "%dm%02ds", d.toMinutes(), d.toSecondsPart());
  }
}
