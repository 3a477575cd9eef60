package dev.kft.job;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/** The rules of the {@code method} section and the settings of each method. */
final class MethodRules {

  private MethodRules() {}

  static void check(SpecNode method) {
    if (method == null) {
      return;
    }
    method.allowOnly(SpecKeys.of(MethodSpec.class));
    MethodType type = MethodSpec.TYPE.read(method);
    String chosen = MethodSpec.TYPE.or(type).id();
    for (String section : List.of("lora", "adapter", "prompt_tuning")) {
      if (method.has(section) && !section.equals(chosen) && (type != null || !method.has("type"))) {
        method.problem(section, "only allowed when method.type is " + section);
      }
    }
    lora(method.object("lora"));
    adapter(method.object("adapter"));
    promptTuning(method.object("prompt_tuning"));
  }

  private static void lora(SpecNode lora) {
    if (lora == null) {
      return;
    }
    lora.allowOnly(SpecKeys.of(LoraSpec.class));
    Setting.readAll(lora, LoraSpec.SETTINGS);
    lora.strings("modules_to_save", BertFamily.SAVABLE_MODULES);
    JsonNode target = lora.raw("target_modules");
    if (target == null || target.isNull()) {
      return;
    }
    if (target.isTextual()) {
      pattern(lora, target.asText());
    } else {
      List<String> names = lora.strings("target_modules", BertFamily.TARGET_MODULES);
      if (names != null && names.isEmpty() && target.isArray()) {
        lora.problem("target_modules", "must name at least one module");
      }
    }
  }

  private static void pattern(SpecNode lora, String text) {
    if (TargetModules.ALL_LINEAR.equals(text)) {
      return;
    }
    try {
      if (!BertFamily.patternMatchesAny(Pattern.compile(text))) {
        lora.problem(
            "target_modules",
            "regular expression '"
                + text
                + "' matches no linear module of a BERT model "
                + "(names look like bert.encoder.layer.0.attention.self.query)");
      }
    } catch (PatternSyntaxException e) {
      lora.problem("target_modules", "not a valid regular expression: " + e.getDescription());
    }
  }

  private static void adapter(SpecNode adapter) {
    if (adapter == null) {
      return;
    }
    adapter.allowOnly(SpecKeys.of(AdapterSpec.class));
    Setting.readAll(adapter, AdapterSpec.SETTINGS);
  }

  private static void promptTuning(SpecNode promptTuning) {
    if (promptTuning == null) {
      return;
    }
    promptTuning.allowOnly(SpecKeys.of(PromptTuningSpec.class));
    Setting.Values values = Setting.readAll(promptTuning, PromptTuningSpec.SETTINGS);
    PromptTuningInit init = values.get(PromptTuningSpec.PROMPT_TUNING_INIT);
    String text = promptTuning.nonBlank("prompt_tuning_init_text");
    if (init == PromptTuningInit.TEXT && !promptTuning.has("prompt_tuning_init_text")) {
      promptTuning.problem("prompt_tuning_init_text", "required when prompt_tuning_init is TEXT");
    }
    if (text != null && init != PromptTuningInit.TEXT) {
      promptTuning.problem("prompt_tuning_init_text", "only used when prompt_tuning_init is TEXT");
    }
  }
}
