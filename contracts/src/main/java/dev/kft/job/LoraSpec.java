package dev.kft.job;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.List;

/**
 * The {@code method.lora} section, with PEFT {@code LoraConfig}'s names and defaults.
 *
 * @param r rank of the update matrices, default 8
 * @param loraAlpha scaling numerator (the update is scaled by alpha / r), default 8
 * @param loraDropout dropout on the LoRA input, default 0.0
 * @param targetModules module names ({@code query}, {@code value}, ...), one regular expression
 *     matched against full module names, or {@code all-linear}; default {@code [query, value]}, as
 *     PEFT chooses for BERT
 * @param bias {@code none} (default), {@code all} or {@code lora_only}
 * @param modulesToSave modules trained in full and saved with the adapter, default {@code
 *     [classifier]} as PEFT's sequence-classification task does
 * @param useRslora scale by alpha / sqrt(r) instead, default false
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonIgnoreProperties(ignoreUnknown = true)
public record LoraSpec(
    Integer r,
    Double loraAlpha,
    Double loraDropout,
    TargetModules targetModules,
    String bias,
    List<String> modulesToSave,
    Boolean useRslora) {

  /** Bias choices. */
  public static final List<String> BIAS = List.of("none", "all", "lora_only");

  public LoraSpec {
    r = r != null ? r : 8;
    loraAlpha = loraAlpha != null ? loraAlpha : 8.0;
    loraDropout = loraDropout != null ? loraDropout : 0.0;
    targetModules = targetModules != null ? targetModules : TargetModules.of("query", "value");
    bias = bias != null ? bias : "none";
    modulesToSave = modulesToSave != null ? List.copyOf(modulesToSave) : List.of("classifier");
    useRslora = useRslora != null ? useRslora : false;
  }
}
