package dev.kft.job;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kft.batch.BatchCodec;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Checks a job spec tree and reports every problem at once, each with its path; the rules mirror
 * {@code docs/job-spec.schema.json} plus those a schema cannot say (sums, cross-field counts).
 */
final class JobSpecValidator {

  static final Pattern MODEL_NAME = Pattern.compile("^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$");
  static final Pattern ALIAS = Pattern.compile("^[a-z][a-z0-9_-]{0,63}$");
  static final Pattern HF_SOURCE =
      Pattern.compile("^hf://[A-Za-z0-9][\\w.-]*(/[A-Za-z0-9][\\w.-]*)?(@[\\w./-]+)?$");

  private JobSpecValidator() {}

  /**
   * Checks {@code tree}, first rewriting its {@code training} section's Hugging Face aliases and
   * setting aside arguments without effect ({@link TrainingArgumentNames}), in place; each of those
   * is added to {@code warnings}.
   */
  static List<Problem> validate(JsonNode tree, List<Problem> warnings) {
    List<Problem> problems = new ArrayList<>();
    if (tree == null || !tree.isObject()) {
      problems.add(
          new Problem(
              "",
              "a job spec must be a mapping of sections, got "
                  + (tree == null ? "nothing" : SpecNode.describe(tree))));
      return problems;
    }
    SpecNode root = new SpecNode(tree, "", problems);
    root.allowOnly(SpecKeys.of(JobSpec.class));
    root.string("name");
    Setting.Values model = model(required(root, "model"));
    DatasetRules.check(required(root, "dataset"));
    SpecNode method = root.object("method");
    if (method != null) {
      warnings.addAll(PeftConfigNames.translate(method));
    }
    MethodRules.check(method);
    SpecNode section = root.object("training");
    if (section != null) {
      warnings.addAll(TrainingArgumentNames.translate(section));
    }
    Setting.Values training = TrainingRules.check(section);
    batchSizes(root.object("training"), model, training);
    registry(required(root, "registry"));
    return problems;
  }

  /**
   * Refuses batches that could not travel as one Kafka record ({@link
   * BatchCodec#MAX_ENCODED_BYTES}), naming the largest batch size that fits at this max_length.
   */
  private static void batchSizes(SpecNode training, Setting.Values model, Setting.Values values) {
    Integer length = model == null ? null : model.get(ModelSpec.MAX_LENGTH);
    long maxLength = length == null ? ModelSpec.MAX_LENGTH.byDefault() : length;
    for (Setting<Integer> size :
        List.of(
            TrainingSpec.PER_DEVICE_TRAIN_BATCH_SIZE, TrainingSpec.PER_DEVICE_EVAL_BATCH_SIZE)) {
      Integer rows = values == null ? null : values.get(size);
      if (rows == null
          || BatchCodec.maxEncodedSize(rows, maxLength) <= BatchCodec.MAX_ENCODED_BYTES) {
        continue;
      }
      long fits = rows;
      while (fits > 1
          && BatchCodec.maxEncodedSize(fits, maxLength) > BatchCodec.MAX_ENCODED_BYTES) {
        fits = fits * 9 / 10;
      }
      while (BatchCodec.maxEncodedSize(fits + 1, maxLength) <= BatchCodec.MAX_ENCODED_BYTES) {
        fits++;
      }
      training.problem(
          size.key(),
          String.format(
              "%d rows of model.max_length %d tokens can take %,d bytes, more than the %,d one"
                  + " Kafka record carries; use at most %d",
              rows,
              maxLength,
              BatchCodec.maxEncodedSize(rows, maxLength),
              BatchCodec.MAX_ENCODED_BYTES,
              fits));
    }
  }

  private static SpecNode required(SpecNode parent, String key) {
    if (!parent.has(key)) {
      parent.problem(key, "required section is missing");
    }
    return parent.object(key);
  }

  private static Setting.Values model(SpecNode model) {
    if (model == null) {
      return null;
    }
    model.allowOnly(SpecKeys.of(ModelSpec.class));
    String source = model.nonBlank("source");
    if (source == null && !model.has("source")) {
      model.problem("source", "required: a model directory or hf://org/name@revision");
    } else if (source != null && source.startsWith("hf:") && !HF_SOURCE.matcher(source).matches()) {
      model.problem(
          "source", "must look like hf://org/name or hf://org/name@revision, got '" + source + "'");
    }
    Setting.Values values = Setting.readAll(model, ModelSpec.SETTINGS);
    ModelInit init = values.get(ModelSpec.INIT);
    Integer numLabels = values.get(ModelSpec.NUM_LABELS);
    List<String> labels = model.strings("labels", null);
    if (labels != null) {
      if (labels.size() < 2) {
        model.problem("labels", "needs at least 2 labels, got " + labels.size());
      } else if (labels.stream().distinct().count() != labels.size()) {
        model.problem("labels", "must not repeat a label, got " + labels);
      } else if (numLabels != null && numLabels != labels.size()) {
        model.problem("num_labels", "is " + numLabels + " but labels names " + labels.size());
      }
    }
    model.nonBlank("tokenizer");
    configOverrides(model, init);
    return values;
  }

  private static void configOverrides(SpecNode model, ModelInit init) {
    SpecNode overrides = model.object("config_overrides");
    if (overrides == null) {
      return;
    }
    if (init != ModelInit.RANDOM) {
      for (Iterator<String> keys = overrides.keys(); keys.hasNext(); ) {
        String key = keys.next();
        if (!BertFamily.PRETRAINED_CONFIG_KEYS.contains(key)) {
          overrides.problem(
              key,
              "would change the shape of pretrained weights; with init: pretrained only "
                  + BertFamily.PRETRAINED_CONFIG_KEYS
                  + " may change (num_hidden_layers: keep the first N layers)");
        }
      }
    }
    overrides.allowOnly(BertFamily.configKeys());
    BertFamily.INTEGER_CONFIG_KEYS.forEach(key -> overrides.integer(key, 1));
    Range probability = Range.atLeast(0).below(1);
    BertFamily.PROBABILITY_CONFIG_KEYS.forEach(
        key -> overrides.number(key, probability.toString(), probability::contains));
    Range positive = Range.above(0);
    for (String key : List.of("layer_norm_eps", "initializer_range")) {
      overrides.number(key, positive.toString(), positive::contains);
    }
    overrides.oneOf("hidden_act", BertFamily.ACTIVATIONS);
    overrides.oneOf("position_embedding_type", SpecValue.ids(PositionEmbeddingType.class));
  }

  private static void registry(SpecNode registry) {
    if (registry == null) {
      return;
    }
    registry.allowOnly(SpecKeys.of(RegistrySpec.class));
    String name = registry.string("model_name");
    if (!registry.has("model_name")) {
      registry.problem("model_name", "required: the name to register the model under");
    } else if (name != null && !MODEL_NAME.matcher(name).matches()) {
      registry.problem(
          "model_name",
          "must be 1-128 letters, digits, '.', '_' or '-', starting with a letter or digit, got '"
              + name
              + "'");
    }
    registry.string("description");
    approval(registry);
    List<String> aliases = registry.strings("aliases", null);
    if (aliases != null) {
      for (int i = 0; i < aliases.size(); i++) {
        if (!ALIAS.matcher(aliases.get(i)).matches()) {
          registry.problem(
              "aliases[" + i + "]",
              "must be lower-case letters, digits, '_' or '-', starting with a letter, got '"
                  + aliases.get(i)
                  + "'");
        }
      }
    }
    SpecNode tags = registry.object("tags");
    if (tags != null) {
      for (Map.Entry<String, JsonNode> tag : iterable(registry.raw("tags"))) {
        tags.string(tag.getKey());
      }
    }
  }

  private static void approval(SpecNode registry) {
    JsonNode approval = registry.raw("approval");
    if (approval != null && approval.isTextual()) {
      checkRule(registry, "approval", approval.asText());
      return;
    }
    List<String> rules = registry.strings("approval", null);
    if (rules == null) {
      return;
    }
    for (int i = 0; i < rules.size(); i++) {
      checkRule(registry, "approval[" + i + "]", rules.get(i));
    }
  }

  private static void checkRule(SpecNode registry, String key, String rule) {
    if (!RegistrySpec.APPROVAL_RULE.matcher(rule).matches()) {
      registry.problem(
          key,
          "must be 'metric op number' with op one of >=, <=, >, <, == (e.g. 'eval_f1 >= 0.85'), "
              + "got '"
              + rule
              + "'");
    }
  }

  private static Iterable<Map.Entry<String, JsonNode>> iterable(JsonNode node) {
    return node::fields;
  }
}
