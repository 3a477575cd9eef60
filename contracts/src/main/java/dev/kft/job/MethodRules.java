package dev.kft.job;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/** The rules of the {@code method} section and the settings of each method. */
final class MethodRules {

  private MethodRules() {}

  static void check(SpecNode m) {
    if (m == null) {
      return;
    }
    m.allowOnly(SpecKeys.of(MethodSpec.class));
    String type = m.oneOf("type", MethodSpec.TYPES);
    String chosen = type != null ? type : MethodSpec.FULL;
    for (String section : List.of("lora", "adapter", "prompt_tuning")) {
      if (m.has(section) && !section.equals(chosen) && (type != null || !m.has("type"))) {
        m.problem(section, "only allowed when method.type is " + section);
      }
    }
    lora(m.object("lora"));
    adapter(m.object("adapter"));
    promptTuning(m.object("prompt_tuning"));
  }

  private static void lora(SpecNode l) {
    if (l == null) {
      return;
    }
    l.allowOnly(SpecKeys.of(LoraSpec.class));
    l.integer("r", 1);
    l.number("lora_alpha", "> 0", v -> v > 0);
    l.number("lora_dropout", "in [0, 1)", v -> v >= 0 && v < 1);
    l.oneOf("bias", LoraSpec.BIAS);
    l.strings("modules_to_save", BertFamily.SAVABLE_MODULES);
    l.bool("use_rslora");
    JsonNode target = l.raw("target_modules");
    if (target == null || target.isNull()) {
      return;
    }
    if (target.isTextual()) {
      pattern(l, target.asText());
    } else {
      List<String> names = l.strings("target_modules", BertFamily.TARGET_MODULES);
      if (names != null && names.isEmpty() && target.isArray()) {
        l.problem("target_modules", "must name at least one module");
      }
    }
  }

  private static void pattern(SpecNode l, String text) {
    if (TargetModules.ALL_LINEAR.equals(text)) {
      return;
    }
    try {
      if (!BertFamily.patternMatchesAny(Pattern.compile(text))) {
        l.problem(
            "target_modules",
            "regular expression '"
                + text
                + "' matches no linear module of a BERT model "
                + "(names look like bert.encoder.layer.0.attention.self.query)");
      }
    } catch (PatternSyntaxException e) {
      l.problem("target_modules", "not a valid regular expression: " + e.getDescription());
    }
  }

  private static void adapter(SpecNode a) {
    if (a == null) {
      return;
    }
    a.allowOnly(SpecKeys.of(AdapterSpec.class));
    a.oneOf("type", AdapterSpec.TYPES);
    a.integer("reduction_factor", 1);
  }

  private static void promptTuning(SpecNode p) {
    if (p == null) {
      return;
    }
    p.allowOnly(SpecKeys.of(PromptTuningSpec.class));
    p.integer("num_virtual_tokens", 1);
    String init = p.oneOf("prompt_tuning_init", PromptTuningSpec.INITS);
    String text = p.nonBlank("prompt_tuning_init_text");
    if ("TEXT".equals(init) && !p.has("prompt_tuning_init_text")) {
      p.problem("prompt_tuning_init_text", "required when prompt_tuning_init is TEXT");
    }
    if (text != null && !"TEXT".equals(init)) {
      p.problem("prompt_tuning_init_text", "only used when prompt_tuning_init is TEXT");
    }
  }
}
