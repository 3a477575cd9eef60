package dev.kft.job;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The arguments of PEFT's {@code LoraConfig}, {@code PromptTuningConfig} and adapter configs that a
 * method's section may carry besides kft's own, so that a script's config carries over verbatim:
 * {@code task_type} and {@code inference_mode} are checked against what a kft job does (train a
 * sequence classifier) and then set aside; arguments without effect are set aside with a warning
 * naming them.
 */
final class PeftConfigNames {

  /** Arguments without effect in kft, and why. */
  static final Map<String, String> WITHOUT_EFFECT =
      Map.of(
          "base_model_name_or_path", "the base model is model.source",
          "revision", "the base model's revision is part of model.source (hf://org/name@rev)",
          "tokenizer_name_or_path", "the base model's own tokenizer is used",
          "peft_type", "method.type names the method");

  private PeftConfigNames() {}

  /**
   * Checks and removes the PEFT-only arguments of {@code method}'s {@code lora}, {@code
   * prompt_tuning} and {@code adapter} sections, in place; returns a warning for each argument
   * without effect.
   */
  static List<Problem> translate(SpecNode method) {
    List<Problem> warnings = new ArrayList<>();
    for (String name : List.of("lora", "prompt_tuning", "adapter")) {
      SpecNode section =
          method.section().get(name) instanceof ObjectNode ? method.object(name) : null;
      if (section == null) {
        continue;
      }
      ObjectNode node = section.section();
      JsonNode task = node.remove("task_type");
      if (task != null
          && !task.asText()
              .replaceFirst("^TaskType\\.", "")
              .toUpperCase(Locale.ROOT)
              .equals("SEQ_CLS")) {
        section.problem(
            "task_type", "kft fine-tunes sequence classifiers (SEQ_CLS), not " + task.asText());
      }
      JsonNode inference = node.remove("inference_mode");
      if (inference != null && inference.asBoolean(false)) {
        section.problem("inference_mode", "true would freeze the adapter; a kft job trains it");
      }
      warnings.addAll(TrainingArgumentNames.setAside(section, WITHOUT_EFFECT));
    }
    warnings.sort((a, b) -> a.path().compareTo(b.path()));
    return warnings;
  }
}
