package dev.kft.checkpoint;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The parameters of a Hugging Face {@code BertForSequenceClassification}: their names, exactly as
 * in its {@code state_dict}, and shapes, in the same order.
 */
public final class BertLayout {

  public static final String PREFIX = "bert.";
  public static final String WORD_EMBEDDINGS = "bert.embeddings.word_embeddings.weight";
  public static final String POSITION_EMBEDDINGS = "bert.embeddings.position_embeddings.weight";
  public static final String TOKEN_TYPE_EMBEDDINGS = "bert.embeddings.token_type_embeddings.weight";
  public static final String EMBEDDINGS_NORM = "bert.embeddings.LayerNorm";
  public static final String POOLER = "bert.pooler.dense";
  public static final String CLASSIFIER = "classifier";

  private BertLayout() {}

  /** Module name prefix of encoder layer {@code i}, e.g. {@code bert.encoder.layer.0}. */
  public static String layer(int i) {
    return "bert.encoder.layer." + i;
  }

  /** Every parameter's name and shape, in {@code state_dict} order. */
  public static Map<String, long[]> shapes(BertConfig config) {
    Map<String, long[]> shapes = new LinkedHashMap<>();
    int h = config.hiddenSize();
    shapes.put(WORD_EMBEDDINGS, new long[] {config.vocabSize(), h});
    shapes.put(POSITION_EMBEDDINGS, new long[] {config.maxPositionEmbeddings(), h});
    shapes.put(TOKEN_TYPE_EMBEDDINGS, new long[] {config.typeVocabSize(), h});
    norm(shapes, EMBEDDINGS_NORM, h);
    for (int i = 0; i < config.numHiddenLayers(); i++) {
      String layer = layer(i);
      linear(shapes, layer + ".attention.self.query", h, h);
      linear(shapes, layer + ".attention.self.key", h, h);
      linear(shapes, layer + ".attention.self.value", h, h);
      if (config.relativePositions()) {
        shapes.put(
            layer + ".attention.self.distance_embedding.weight",
            new long[] {2L * config.maxPositionEmbeddings() - 1, config.headSize()});
      }
      linear(shapes, layer + ".attention.output.dense", h, h);
      norm(shapes, layer + ".attention.output.LayerNorm", h);
      linear(shapes, layer + ".intermediate.dense", h, config.intermediateSize());
      linear(shapes, layer + ".output.dense", config.intermediateSize(), h);
      norm(shapes, layer + ".output.LayerNorm", h);
    }
    linear(shapes, POOLER, h, h);
    linear(shapes, CLASSIFIER, h, config.labels().size());
    return Collections.unmodifiableMap(shapes);
  }

  /** Number of parameters of the encoder alone (Hugging Face {@code BertModel}). */
  public static long encoderParameterCount(BertConfig config) {
    return count(shapes(config), PREFIX);
  }

  /** Number of parameters of the whole classifier. */
  public static long parameterCount(BertConfig config) {
    return count(shapes(config), "");
  }

  private static long count(Map<String, long[]> shapes, String prefix) {
    long total = 0;
    for (Map.Entry<String, long[]> e : shapes.entrySet()) {
      if (e.getKey().startsWith(prefix)) {
        long n = 1;
        for (long d : e.getValue()) {
          n *= d;
        }
        total += n;
      }
    }
    return total;
  }

  private static void linear(Map<String, long[]> shapes, String module, int in, int out) {
    shapes.put(module + ".weight", new long[] {out, in});
    shapes.put(module + ".bias", new long[] {out});
  }

  private static void norm(Map<String, long[]> shapes, String module, int size) {
    shapes.put(module + ".weight", new long[] {size});
    shapes.put(module + ".bias", new long[] {size});
  }
}
