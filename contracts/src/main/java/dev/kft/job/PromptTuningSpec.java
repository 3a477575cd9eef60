package dev.kft.job;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.List;

/**
 * The {@code method.prompt_tuning} section, with PEFT {@code PromptTuningConfig}'s names.
 *
 * @param numVirtualTokens learned embeddings prepended to every input, default 20
 * @param promptTuningInit {@code RANDOM} (default) or {@code TEXT}
 * @param promptTuningInitText the text whose token embeddings start the prompt (with {@code TEXT})
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonIgnoreProperties(ignoreUnknown = true)
public record PromptTuningSpec(
    Integer numVirtualTokens, PromptTuningInit promptTuningInit, String promptTuningInitText) {

  public static final Setting<Integer> NUM_VIRTUAL_TOKENS =
      Setting.count("num_virtual_tokens", 20, 1);
  public static final Setting<PromptTuningInit> PROMPT_TUNING_INIT =
      Setting.choice("prompt_tuning_init", PromptTuningInit.class, PromptTuningInit.RANDOM);

  /** Every declared setting of the section. */
  public static final List<Setting<?>> SETTINGS = List.of(NUM_VIRTUAL_TOKENS, PROMPT_TUNING_INIT);

  public PromptTuningSpec {
    numVirtualTokens = NUM_VIRTUAL_TOKENS.or(numVirtualTokens);
    promptTuningInit = PROMPT_TUNING_INIT.or(promptTuningInit);
  }
}
