package dev.kft.job;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * What a job spec may name inside a BERT-family model: module names for LoRA's {@code
 * target_modules} and {@code modules_to_save}, and {@code config.json} keys for {@code
 * config_overrides}. Module names follow Hugging Face's {@code BertForSequenceClassification}.
 */
public final class BertFamily {

  /** Names a target module may have: the last parts of a linear layer's module name. */
  public static final List<String> TARGET_MODULES =
      List.of(
          "query",
          "key",
          "value",
          "dense",
          "self.query",
          "self.key",
          "self.value",
          "attention.self.query",
          "attention.self.key",
          "attention.self.value",
          "attention.output.dense",
          "intermediate.dense",
          "output.dense",
          "pooler.dense");

  /** Modules a LoRA job may train in full and save beside the adapter. */
  public static final List<String> SAVABLE_MODULES =
      List.of("classifier", "pooler", "pooler.dense");

  /** Integer {@code config.json} keys a randomly initialised model may override. */
  public static final List<String> INTEGER_CONFIG_KEYS =
      List.of(
          "vocab_size",
          "hidden_size",
          "num_hidden_layers",
          "num_attention_heads",
          "intermediate_size",
          "max_position_embeddings",
          "type_vocab_size");

  /** Probability {@code config.json} keys a randomly initialised model may override. */
  public static final List<String> PROBABILITY_CONFIG_KEYS =
      List.of("hidden_dropout_prob", "attention_probs_dropout_prob", "classifier_dropout");

  /** Other {@code config.json} keys a randomly initialised model may override. */
  public static final List<String> OTHER_CONFIG_KEYS =
      List.of("layer_norm_eps", "initializer_range", "hidden_act", "position_embedding_type");

  /**
   * The {@code config.json} keys a pretrained model may override, those that keep every weight's
   * shape: dropouts, layer norm epsilon, activation, the initialiser of new weights (the head), and
   * fewer layers (the first N are kept, as {@code from_pretrained(..., num_hidden_layers=N)} keeps
   * them).
   */
  public static final List<String> PRETRAINED_CONFIG_KEYS =
      List.of(
          "hidden_dropout_prob",
          "attention_probs_dropout_prob",
          "classifier_dropout",
          "layer_norm_eps",
          "hidden_act",
          "initializer_range",
          "num_hidden_layers");

  /** Activation functions the model supports. */
  public static final List<String> ACTIVATIONS = List.of("gelu", "relu", "tanh");

  private BertFamily() {}

  /** Every config key {@code config_overrides} accepts. */
  public static List<String> configKeys() {
    List<String> keys = new ArrayList<>(INTEGER_CONFIG_KEYS);
    keys.addAll(PROBABILITY_CONFIG_KEYS);
    keys.addAll(OTHER_CONFIG_KEYS);
    return keys;
  }

  /**
   * Full names of the linear modules of a model with {@code layers} layers, as a regular expression
   * in {@code target_modules} is matched against them.
   */
  public static List<String> linearModuleNames(int layers) {
    List<String> names = new ArrayList<>();
    for (int i = 0; i < layers; i++) {
      String layer = "bert.encoder.layer." + i + ".";
      for (String part :
          List.of(
              "attention.self.query",
              "attention.self.key",
              "attention.self.value",
              "attention.output.dense",
              "intermediate.dense",
              "output.dense")) {
        names.add(layer + part);
      }
    }
    names.add("bert.pooler.dense");
    names.add("classifier");
    return names;
  }

  /** Whether a regular expression matches at least one linear module of a 24-layer model. */
  public static boolean patternMatchesAny(Pattern pattern) {
    return linearModuleNames(24).stream().anyMatch(n -> pattern.matcher(n).matches());
  }
}
