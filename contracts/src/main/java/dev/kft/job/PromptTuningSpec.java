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
    Integer numVirtualTokens, String promptTuningInit, String promptTuningInitText) {

  /** Initialisation choices. */
  public static final List<String> INITS = List.of("RANDOM", "TEXT");

  public PromptTuningSpec {
    numVirtualTokens = numVirtualTokens != null ? numVirtualTokens : 20;
    promptTuningInit = promptTuningInit != null ? promptTuningInit : "RANDOM";
  }
}
