package dev.kft.job;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.List;

/**
 * The {@code method} section: which parameters are trained. {@code type} picks the method; the
 * section named after it holds that method's settings (the other sections must be absent).
 *
 * @param type {@code full} (default), {@code lora}, {@code adapter} or {@code prompt_tuning}
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonIgnoreProperties(ignoreUnknown = true)
public record MethodSpec(
    String type, LoraSpec lora, AdapterSpec adapter, PromptTuningSpec promptTuning) {

  public static final String FULL = "full";
  public static final String LORA = "lora";
  public static final String ADAPTER = "adapter";
  public static final String PROMPT_TUNING = "prompt_tuning";

  /** Every method type. */
  public static final List<String> TYPES = List.of(FULL, LORA, ADAPTER, PROMPT_TUNING);

  /** Fills the chosen method's settings with their defaults. */
  public MethodSpec {
    type = type != null ? type : FULL;
    if (LORA.equals(type) && lora == null) {
      lora = new LoraSpec(null, null, null, null, null, null, null);
    }
    if (ADAPTER.equals(type) && adapter == null) {
      adapter = new AdapterSpec(null, null);
    }
    if (PROMPT_TUNING.equals(type) && promptTuning == null) {
      promptTuning = new PromptTuningSpec(null, null, null);
    }
  }
}
