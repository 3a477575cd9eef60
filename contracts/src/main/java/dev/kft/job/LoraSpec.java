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
 * @param bias which biases are trained, default {@code none}
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
    LoraBias bias,
    List<String> modulesToSave,
    Boolean useRslora) {

  public static final Setting<Integer> R = Setting.count("r", 8, 1);
  public static final Setting<Double> LORA_ALPHA =
      Setting.number("lora_alpha", 8.0, Range.above(0));
  public static final Setting<Double> LORA_DROPOUT =
      Setting.number("lora_dropout", 0.0, Range.atLeast(0).below(1));
  public static final Setting<LoraBias> BIAS =
      Setting.choice("bias", LoraBias.class, LoraBias.NONE);
  public static final Setting<Boolean> USE_RSLORA = Setting.flag("use_rslora", false);

  /** Every declared setting of the section (the module lists have their own rules). */
  public static final List<Setting<?>> SETTINGS =
      List.of(R, LORA_ALPHA, LORA_DROPOUT, BIAS, USE_RSLORA);

  public LoraSpec {
    r = R.or(r);
    loraAlpha = LORA_ALPHA.or(loraAlpha);
    loraDropout = LORA_DROPOUT.or(loraDropout);
    targetModules = targetModules != null ? targetModules : TargetModules.of("query", "value");
    bias = BIAS.or(bias);
    modulesToSave = modulesToSave != null ? List.copyOf(modulesToSave) : List.of("classifier");
    useRslora = USE_RSLORA.or(useRslora);
  }
}
