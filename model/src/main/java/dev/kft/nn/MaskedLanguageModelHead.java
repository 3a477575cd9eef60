package dev.kft.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.LayerNorm;
import dev.kft.checkpoint.BertConfig;
import dev.kft.checkpoint.TensorData;
import dev.kft.checkpoint.WeightCheck;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The masked-language-model head of a pretrained BERT, as Hugging Face's {@code BertOnlyMLMHead}
 * computes it: a dense layer, the config's activation and a layer norm over each hidden state, then
 * scores over the vocabulary through the (tied) word embeddings plus a bias. kft fine-tunes
 * classifiers; this head shows that converted pretrained weights predict what they were trained to.
 */
public final class MaskedLanguageModelHead implements AutoCloseable {

  static final String DENSE = "cls.predictions.transform.dense";
  static final String NORM = "cls.predictions.transform.LayerNorm";
  static final String BIAS = "cls.predictions.bias";

  private final BertConfig config;
  private final NDManager manager;
  private final Map<String, NDArray> parameters = new LinkedHashMap<>();

  private MaskedLanguageModelHead(BertConfig config, NDManager manager) {
    this.config = config;
    this.manager = manager;
  }

  /**
   * The head from the {@code cls.predictions.*} tensors among {@code tensors}.
   *
   * @throws dev.kft.checkpoint.SafeTensorsException listing every missing or wrongly shaped tensor
   */
  public static MaskedLanguageModelHead create(
      BertConfig config, Map<String, TensorData> tensors, NDManager parent) {
    long h = config.hiddenSize();
    Map<String, long[]> shapes = new LinkedHashMap<>();
    shapes.put(DENSE + ".weight", new long[] {h, h});
    shapes.put(DENSE + ".bias", new long[] {h});
    shapes.put(NORM + ".weight", new long[] {h});
    shapes.put(NORM + ".bias", new long[] {h});
    shapes.put(BIAS, new long[] {config.vocabSize()});
    Map<String, TensorData> own = new LinkedHashMap<>();
    shapes.keySet().stream().filter(tensors::containsKey).forEach(n -> own.put(n, tensors.get(n)));
    WeightCheck.requireExactly(shapes, own);
    MaskedLanguageModelHead head = new MaskedLanguageModelHead(config, parent.newSubManager());
    own.forEach(
        (name, t) ->
            head.parameters.put(name, head.manager.create(t.values(), new Shape(t.shape()))));
    return head;
  }

  /**
   * Scores {@code [batch, seq, vocab]} of every token of the vocabulary at every position.
   *
   * @param wordEmbeddings the encoder's {@code bert.embeddings.word_embeddings.weight}
   */
  public NDArray logits(NDArray lastHiddenState, NDArray wordEmbeddings) {
    NDArray x =
        Linear.linear(
                lastHiddenState, parameters.get(DENSE + ".weight"), parameters.get(DENSE + ".bias"))
            .singletonOrThrow();
    x = BertClassifier.activation(config.hiddenAct(), x);
    x =
        LayerNorm.layerNorm(
                x,
                new Shape(config.hiddenSize()),
                parameters.get(NORM + ".weight"),
                parameters.get(NORM + ".bias"),
                (float) config.layerNormEps())
            .singletonOrThrow();
    return Linear.linear(x, wordEmbeddings, parameters.get(BIAS)).singletonOrThrow();
  }

  @Override
  public void close() {
    manager.close();
  }
}
