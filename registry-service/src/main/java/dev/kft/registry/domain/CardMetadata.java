package dev.kft.registry.domain;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kft.checkpoint.HubModelId;
import dev.kft.events.DatasetPrepared;
import dev.kft.events.ModelCandidate;
import dev.kft.job.DatasetSpec;
import dev.kft.job.JobSpec;
import dev.kft.job.MethodType;
import dev.kft.json.Json;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The YAML front matter of a version's model card, in the fields the Hugging Face hub reads: the
 * library that loads the directory, the base model, language and dataset (from the version's {@code
 * language} and {@code dataset} tags), task, tags, and the test metrics as a {@code model-index}.
 */
final class CardMetadata {

  /** The prefix of the evaluator's test metrics. */
  private static final String TEST = "test_";

  private CardMetadata() {}

  /** The front matter between its two {@code ---} lines, each line ending in a newline. */
  static String frontMatter(String name, ModelCandidate candidate, DatasetPrepared prepared) {
    JobSpec spec = prepared.spec();
    ObjectNode card = Json.mapper().createObjectNode();
    MethodType method = spec.method().type();
    // full and LoRA (merged) versions load as plain models; the other methods need PEFT's adapter
    boolean plain = method == MethodType.FULL || method == MethodType.LORA;
    card.put("library_name", plain ? "transformers" : "peft");
    baseModel(spec.model().source()).ifPresent(id -> card.put("base_model", id));
    String language = spec.registry().tags().get("language");
    if (language != null) {
      ArrayNode languages = card.putArray("language");
      for (String code : language.split(",")) {
        languages.add(code.strip());
      }
    }
    String dataset = spec.registry().tags().get("dataset");
    if (dataset != null) {
      card.putArray("datasets").add(dataset);
    }
    card.put("pipeline_tag", "text-classification");
    card.putArray("tags").add("kft").add(method.id());
    ArrayNode metrics = card.putArray("metrics");
    testMetrics(candidate).keySet().forEach(metrics::add);
    card.set("model-index", modelIndex(name, candidate, prepared));
    try {
      return Json.yaml().writeValueAsString(card) + "---\n";
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The hub id of a {@code hf://org/name[@revision]} source; other sources name no hub model. */
  static Optional<String> baseModel(String source) {
    return HubModelId.isHub(source)
        ? Optional.of(HubModelId.parse(source).repoId())
        : Optional.empty();
  }

  private static ArrayNode modelIndex(
      String name, ModelCandidate candidate, DatasetPrepared prepared) {
    ObjectNode result = Json.mapper().createObjectNode();
    result.putObject("task").put("type", "text-classification").put("name", "Text Classification");
    // the hub dataset the registry's 'dataset' tag names, else the file the test split came from
    DatasetSpec data = prepared.spec().dataset();
    String file =
        data.uri() != null ? data.uri() : data.testUri() != null ? data.testUri() : data.trainUri();
    String type = prepared.spec().registry().tags().getOrDefault("dataset", file);
    result
        .putObject("dataset")
        .put("name", type.substring(type.lastIndexOf('/') + 1))
        .put("type", type)
        .put("split", "test");
    ArrayNode metrics = result.putArray("metrics");
    testMetrics(candidate)
        .forEach(
            (metric, value) ->
                metrics
                    .addObject()
                    .put("type", metric)
                    .put("value", value)
                    .put("name", TEST + metric));
    ArrayNode index = Json.mapper().createArrayNode();
    index.addObject().put("name", name).putArray("results").add(result);
    return index;
  }

  /** The test metrics by their names without {@code test_}, in a stable order. */
  private static Map<String, Double> testMetrics(ModelCandidate candidate) {
    Map<String, Double> metrics = new TreeMap<>();
    candidate
        .testMetrics()
        .forEach(
            (key, value) ->
                metrics.put(key.startsWith(TEST) ? key.substring(TEST.length()) : key, value));
    return metrics;
  }
}
