package dev.kft.job;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.List;

/**
 * The {@code method} section: which parameters are trained. {@code type} picks the method; the
 * section named after it holds that method's settings (the other sections must be absent).
 *
 * @param type the method, default {@code full}
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonIgnoreProperties(ignoreUnknown = true)
public record MethodSpec(
    MethodType type, LoraSpec lora, AdapterSpec adapter, PromptTuningSpec promptTuning) {

  public static final Setting<MethodType> TYPE =
      Setting.choice("type", MethodType.class, MethodType.FULL);

  /** Every declared setting of the section. */
  public static final List<Setting<?>> SETTINGS = List.of(TYPE);

  /** Fills the chosen method's settings with their defaults. */
  public MethodSpec {
    type = TYPE.or(type);
    if (type == MethodType.LORA && lora == null) {
      lora = new LoraSpec(null, null, null, null, null, null, null);
    }
    if (type == MethodType.ADAPTER && adapter == null) {
      adapter = new AdapterSpec(null, null);
    }
    if (type == MethodType.PROMPT_TUNING && promptTuning == null) {
      promptTuning = new PromptTuningSpec(null, null, null);
    }
  }
}
