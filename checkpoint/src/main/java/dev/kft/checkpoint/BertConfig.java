package dev.kft.checkpoint;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kft.job.PositionEmbeddingType;
import dev.kft.job.SpecValue;
import dev.kft.json.Json;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The geometry and labels of a BERT-family classifier, read from and written to a Hugging Face
 * {@code config.json}. The original JSON is kept so that export preserves keys kft does not use.
 *
 * @param positionEmbeddingType absolute or relative positions, see {@link PositionEmbeddingType}
 * @param labels label names by id ({@code id2label}); {@code num_labels} is their count
 */
public record BertConfig(
    int vocabSize,
    int hiddenSize,
    int numHiddenLayers,
    int numAttentionHeads,
    int intermediateSize,
    int maxPositionEmbeddings,
    int typeVocabSize,
    double layerNormEps,
    double hiddenDropoutProb,
    double attentionProbsDropoutProb,
    Double classifierDropout,
    double initializerRange,
    String hiddenAct,
    int padTokenId,
    PositionEmbeddingType positionEmbeddingType,
    List<String> labels,
    ObjectNode source) {

  public BertConfig {
    labels = List.copyOf(labels);
    if (hiddenSize % numAttentionHeads != 0) {
      throw new IllegalArgumentException(
          "hidden_size "
              + hiddenSize
              + " is not a multiple of num_attention_heads "
              + numAttentionHeads);
    }
    if (labels.isEmpty()) {
      throw new IllegalArgumentException("a classifier needs at least one label");
    }
  }

  private static PositionEmbeddingType positionEmbedding(String id) {
    try {
      return SpecValue.of(PositionEmbeddingType.class, id);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("position_embedding_type " + e.getMessage());
    }
  }

  /** Reads a {@code config.json}. */
  public static BertConfig read(Path configJson) throws IOException {
    return parse(Json.mapper().readTree(configJson.toFile()));
  }

  /**
   * Builds a config from {@code config.json} content, with Hugging Face's defaults.
   *
   * @throws IllegalArgumentException for a {@code model_type} other than {@code bert}: other
   *     families (RoBERTa, ALBERT, ...) name and shape their weights differently
   */
  public static BertConfig parse(JsonNode json) {
    if (!json.isObject()) {
      throw new IllegalArgumentException("config.json must be a JSON object");
    }
    String modelType = json.path("model_type").asText("bert");
    if (!modelType.equals("bert")) {
      throw new IllegalArgumentException(
          "config.json: model_type '"
              + modelType
              + "' is not supported; kft fine-tunes BERT checkpoints (model_type bert, such as"
              + " bert-base-chinese, chinese-roberta-wwm-ext or chinese-macbert, which are BERTs)");
    }
    JsonNode dropout = json.get("classifier_dropout");
    return new BertConfig(
        json.path("vocab_size").asInt(30522),
        json.path("hidden_size").asInt(768),
        json.path("num_hidden_layers").asInt(12),
        json.path("num_attention_heads").asInt(12),
        json.path("intermediate_size").asInt(3072),
        json.path("max_position_embeddings").asInt(512),
        json.path("type_vocab_size").asInt(2),
        json.path("layer_norm_eps").asDouble(1e-12),
        json.path("hidden_dropout_prob").asDouble(0.1),
        json.path("attention_probs_dropout_prob").asDouble(0.1),
        dropout == null || dropout.isNull() ? null : dropout.asDouble(),
        json.path("initializer_range").asDouble(0.02),
        json.path("hidden_act").asText("gelu"),
        json.path("pad_token_id").asInt(0),
        positionEmbedding(json.path("position_embedding_type").asText("absolute")),
        labelsOf(json),
        ((ObjectNode) json).deepCopy());
  }

  private static List<String> labelsOf(JsonNode json) {
    JsonNode id2label = json.get("id2label");
    int count =
        id2label != null && id2label.isObject()
            ? id2label.size()
            : json.path("num_labels").asInt(2);
    List<String> labels = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      JsonNode name = id2label == null ? null : id2label.get(String.valueOf(i));
      labels.add(name == null ? "LABEL_" + i : name.asText());
    }
    return labels;
  }

  /**
   * This config with {@code config.json} values replaced: any of them for randomly initialised
   * models; dropouts and fewer layers for pretrained weights ({@link PretrainedWeights} keeps the
   * first layers).
   */
  public BertConfig withOverrides(Map<String, Object> overrides) {
    ObjectNode json = source.deepCopy();
    overrides.forEach((key, value) -> json.set(key, Json.mapper().valueToTree(value)));
    json.remove("id2label");
    json.remove("label2id");
    json.put("num_labels", labels.size());
    BertConfig updated = parse(json);
    return updated.withLabels(labels);
  }

  /** This config with other labels (and so another classifier size). */
  public BertConfig withLabels(List<String> names) {
    return new BertConfig(
        vocabSize,
        hiddenSize,
        numHiddenLayers,
        numAttentionHeads,
        intermediateSize,
        maxPositionEmbeddings,
        typeVocabSize,
        layerNormEps,
        hiddenDropoutProb,
        attentionProbsDropoutProb,
        classifierDropout,
        initializerRange,
        hiddenAct,
        padTokenId,
        positionEmbeddingType,
        names,
        source);
  }

  /**
   * Dropout before the classifier: {@code classifier_dropout}, else {@code hidden_dropout_prob}.
   */
  public double headDropout() {
    return classifierDropout != null ? classifierDropout : hiddenDropoutProb;
  }

  /** Whether attention scores carry learned query-key distance terms. */
  public boolean relativePositions() {
    return positionEmbeddingType != PositionEmbeddingType.ABSOLUTE;
  }

  /** Size of one attention head. */
  public int headSize() {
    return hiddenSize / numAttentionHeads;
  }

  /**
   * The {@code config.json} of a {@code BertForSequenceClassification} with these values: the
   * source's other keys kept, architecture, sizes, {@code id2label} and {@code label2id} set.
   */
  public ObjectNode toJson() {
    ObjectNode json = source.deepCopy();
    json.putArray("architectures").add("BertForSequenceClassification");
    json.put("model_type", "bert");
    json.put("vocab_size", vocabSize);
    json.put("hidden_size", hiddenSize);
    json.put("num_hidden_layers", numHiddenLayers);
    json.put("num_attention_heads", numAttentionHeads);
    json.put("intermediate_size", intermediateSize);
    json.put("max_position_embeddings", maxPositionEmbeddings);
    json.put("type_vocab_size", typeVocabSize);
    json.put("layer_norm_eps", layerNormEps);
    json.put("hidden_dropout_prob", hiddenDropoutProb);
    json.put("attention_probs_dropout_prob", attentionProbsDropoutProb);
    json.put("initializer_range", initializerRange);
    json.put("hidden_act", hiddenAct);
    json.put("pad_token_id", padTokenId);
    json.put("position_embedding_type", positionEmbeddingType.id());
    json.remove("num_labels");
    ObjectNode id2label = json.putObject("id2label");
    ObjectNode label2id = json.putObject("label2id");
    for (int i = 0; i < labels.size(); i++) {
      id2label.put(String.valueOf(i), labels.get(i));
      label2id.put(labels.get(i), i);
    }
    return json;
  }
}
