package dev.kft.job;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.List;
import java.util.Map;

/**
 * The {@code model} section: the base model and how to start from it.
 *
 * @param source a model directory ({@code config.json}, {@code model.safetensors}, {@code
 *     tokenizer.json}) or {@code hf://org/name@revision}
 * @param init {@code pretrained} (default: load the weights) or {@code random} (initialise from the
 *     config as Hugging Face does, from the training seed)
 * @param configOverrides values that replace those of {@code config.json} (for example {@code
 *     num_hidden_layers}); only with {@code init: random}
 * @param numLabels number of classes; by default the number of labels found in the data
 * @param labels label names in id order; by default the data's labels in their documented order
 * @param maxLength token limit per example, default 128
 * @param padding {@code longest} (default: each batch padded to its longest example, far less
 *     compute) or {@code max_length} (every example padded to {@code max_length})
 * @param tokenizer a {@code tokenizer.json} to use instead of the source's
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonIgnoreProperties(ignoreUnknown = true)
public record ModelSpec(
    String source,
    String init,
    @JsonInclude(JsonInclude.Include.NON_EMPTY) Map<String, Object> configOverrides,
    Integer numLabels,
    @JsonInclude(JsonInclude.Include.NON_EMPTY) List<String> labels,
    Integer maxLength,
    String padding,
    String tokenizer) {

  /** {@code init} value that loads pretrained weights. */
  public static final String PRETRAINED = "pretrained";

  /** {@code init} value that initialises weights randomly from the config. */
  public static final String RANDOM = "random";

  /** Padding choices. */
  public static final List<String> PADDINGS = List.of("longest", "max_length");

  public ModelSpec {
    init = init != null ? init : PRETRAINED;
    configOverrides = configOverrides != null ? Map.copyOf(configOverrides) : Map.of();
    labels = labels != null ? List.copyOf(labels) : List.of();
    maxLength = maxLength != null ? maxLength : 128;
    padding = padding != null ? padding : "longest";
  }
}
