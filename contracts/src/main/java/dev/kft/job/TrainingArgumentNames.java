package dev.kft.job;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The names of Hugging Face's {@code TrainingArguments} that a {@code training} section may carry
 * besides kft's own: deprecated aliases, read as their current name, and arguments that have no
 * effect in kft, accepted and set aside. Each one is reported as a warning naming it, so a script's
 * arguments carry over verbatim and nothing is ignored silently.
 */
final class TrainingArgumentNames {

  /** Deprecated names and the names transformers reads them as. */
  static final Map<String, String> ALIASES =
      Map.of(
          "evaluation_strategy", "eval_strategy",
          "per_gpu_train_batch_size", "per_device_train_batch_size",
          "per_gpu_eval_batch_size", "per_device_eval_batch_size");

  /** Arguments without effect in kft, and why. */
  static final Map<String, String> WITHOUT_EFFECT =
      Map.ofEntries(
          Map.entry("output_dir", "checkpoints go to the trainer's artifact store"),
          Map.entry("overwrite_output_dir", "checkpoints go to the trainer's artifact store"),
          Map.entry("logging_dir", "progress is published as events on kft.job-events"),
          Map.entry("report_to", "progress is published as events and Prometheus metrics"),
          Map.entry("run_name", "a job is named by its id and registry.model_name"),
          Map.entry("logging_strategy", "progress is reported every logging_steps steps"),
          Map.entry("logging_first_step", "progress is reported every logging_steps steps"),
          Map.entry("save_safetensors", "checkpoints are always safetensors"),
          Map.entry("push_to_hub", "approved models go to kft's registry"),
          Map.entry("hub_model_id", "approved models go to kft's registry"),
          Map.entry("do_train", "a job always trains"),
          Map.entry("do_eval", "eval_strategy decides evaluation"),
          Map.entry("do_predict", "the evaluator always scores the test split"),
          Map.entry("dataloader_num_workers", "batches come from Kafka"),
          Map.entry("dataloader_pin_memory", "batches come from Kafka"),
          Map.entry("disable_tqdm", "kft watch shows progress"),
          Map.entry("remove_unused_columns", "data-prep keeps only the text and label columns"),
          Map.entry("no_cuda", "the trainer's device is set by KFT_TRAINER_DEVICE"),
          Map.entry("use_cpu", "the trainer's device is set by KFT_TRAINER_DEVICE"));

  private TrainingArgumentNames() {}

  /**
   * Renames the aliases in {@code training} and removes the arguments without effect, in place;
   * returns a warning for each. An alias given beside its current name is a problem.
   */
  static List<Problem> translate(SpecNode training) {
    List<Problem> warnings = new ArrayList<>();
    ObjectNode node = training.section();
    for (Map.Entry<String, String> alias : ALIASES.entrySet()) {
      String old = alias.getKey();
      String current = alias.getValue();
      if (!node.has(old)) {
        continue;
      }
      if (node.has(current)) {
        training.problem(old, "is the deprecated name of " + current + ", which is given too");
        node.remove(old);
        continue;
      }
      node.set(current, node.remove(old));
      warnings.add(
          new Problem(
              training.pathOf(old), "is deprecated in transformers; read as training." + current));
    }
    warnings.addAll(setAside(training, WITHOUT_EFFECT));
    warnings.sort((a, b) -> a.path().compareTo(b.path()));
    return warnings;
  }

  /**
   * Removes the keys of {@code withoutEffect} from {@code section}; returns a warning for each,
   * saying why it has no effect.
   */
  static List<Problem> setAside(SpecNode section, Map<String, String> withoutEffect) {
    List<Problem> warnings = new ArrayList<>();
    for (Map.Entry<String, String> ignored : withoutEffect.entrySet()) {
      if (section.section().remove(ignored.getKey()) != null) {
        warnings.add(
            new Problem(
                section.pathOf(ignored.getKey()),
                "has no effect in kft (" + ignored.getValue() + "); accepted and ignored"));
      }
    }
    return warnings;
  }
}
