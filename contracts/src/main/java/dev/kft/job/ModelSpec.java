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
 * @param pruneVocabulary keep only the special tokens and the tokens the job's data uses: the
 *     embedding rows of the others are dropped and the model is exported with the smaller
 *     vocabulary and a tokenizer of its own (WordPiece tokenizers only)
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonIgnoreProperties(ignoreUnknown = true)
public record ModelSpec(
    String source,
    ModelInit init,
    @JsonInclude(JsonInclude.Include.NON_EMPTY) Map<String, Object> configOverrides,
    Integer numLabels,
    @JsonInclude(JsonInclude.Include.NON_EMPTY) List<String> labels,
    Integer maxLength,
    Padding padding,
    String tokenizer,
    Boolean pruneVocabulary) {

  public static final Setting<ModelInit> INIT =
      Setting.choice("init", ModelInit.class, ModelInit.PRETRAINED);
  public static final Setting<Integer> NUM_LABELS = Setting.count("num_labels", null, 2);
  public static final Setting<Integer> MAX_LENGTH = Setting.count("max_length", 128, 2);
  public static final Setting<Padding> PADDING =
      Setting.choice("padding", Padding.class, Padding.LONGEST);
  public static final Setting<Boolean> PRUNE_VOCABULARY = Setting.flag("prune_vocabulary", false);

  /** Every declared setting of the section (source, labels and overrides have their own rules). */
  public static final List<Setting<?>> SETTINGS =
      List.of(INIT, NUM_LABELS, MAX_LENGTH, PADDING, PRUNE_VOCABULARY);

  public ModelSpec {
    init = INIT.or(init);
    configOverrides = configOverrides != null ? Map.copyOf(configOverrides) : Map.of();
    labels = labels != null ? List.copyOf(labels) : List.of();
    maxLength = MAX_LENGTH.or(maxLength);
    padding = PADDING.or(padding);
    pruneVocabulary = PRUNE_VOCABULARY.or(pruneVocabulary);
  }
}
