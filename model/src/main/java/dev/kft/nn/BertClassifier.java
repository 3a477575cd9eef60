package dev.kft.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.Activation;
import ai.djl.nn.core.Embedding;
import ai.djl.nn.norm.LayerNorm;
import dev.kft.checkpoint.BertConfig;
import dev.kft.checkpoint.BertLayout;
import dev.kft.checkpoint.TensorData;
import dev.kft.checkpoint.WeightCheck;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * A BERT encoder with a sequence-classification head, computing exactly what Hugging Face's {@code
 * BertForSequenceClassification} computes, with parameters under the same names.
 *
 * <p>Parameters live in the model's own manager; every intermediate array of a forward pass is
 * created in the manager of the inputs (each op starts from an activation), so closing a per-step
 * manager frees the whole pass. Scalars are arrays of that manager: DJL's {@code Number} overloads
 * free their scalar before backward runs.
 */
public final class BertClassifier implements AutoCloseable {

  /** The logits {@code [batch, labels]} and last hidden state {@code [batch, seq, hidden]}. */
  public record Output(NDArray logits, NDArray lastHiddenState) {}

  private final BertConfig config;
  private final NDManager manager;
  private final Map<String, NDArray> parameters;
  private ModelExtension extension = new ModelExtension() {};
  private volatile MatrixProducts products = MatrixProducts.of(Precision.FLOAT32);

  private BertClassifier(BertConfig config, NDManager manager, Map<String, NDArray> parameters) {
    this.config = config;
    this.manager = manager;
    this.parameters = parameters;
  }

  /**
   * Builds a model from tensors named and shaped as {@link BertLayout#shapes} says.
   *
   * @throws dev.kft.checkpoint.SafeTensorsException listing every missing, unexpected or wrongly
   *     shaped tensor
   */
  public static BertClassifier create(
      BertConfig config, Map<String, TensorData> tensors, NDManager parent) {
    Map<String, long[]> shapes = BertLayout.shapes(config);
    WeightCheck.requireExactly(shapes, tensors);
    NDManager manager = parent.newSubManager();
    Map<String, NDArray> parameters = new LinkedHashMap<>();
    for (String name : shapes.keySet()) {
      TensorData t = tensors.get(name);
      NDArray array = manager.create(t.values(), new Shape(t.shape()));
      parameters.put(name, array);
    }
    return new BertClassifier(config, manager, parameters);
  }

  public BertConfig config() {
    return config;
  }

  /** The manager that owns the parameters; closing the model closes it. */
  public NDManager manager() {
    return manager;
  }

  /**
   * Adds a method's tensors to the model (they live in its manager and join {@link #parameters()})
   * and lets the extension {@code bind} builds from them act in every later forward pass.
   *
   * @throws IllegalArgumentException when a tensor's name is already a parameter
   */
  public void extend(
      Map<String, TensorData> tensors, Function<Map<String, NDArray>, ModelExtension> bind) {
    Map<String, NDArray> added = new LinkedHashMap<>();
    tensors.forEach(
        (name, t) -> {
          if (parameters.containsKey(name)) {
            throw new IllegalArgumentException("parameter " + name + " already exists");
          }
          NDArray array = manager.create(t.values(), new Shape(t.shape()));
          added.put(name, array);
        });
    parameters.putAll(added);
    extension = bind.apply(Collections.unmodifiableMap(added));
  }

  /**
   * Runs later forward passes' matrix products (every linear layer of the encoder and head, and
   * attention's two batched products) in {@code precision}; a method's own small products (LoRA,
   * adapters) stay float32.
   */
  public void computeIn(Precision precision) {
    products = MatrixProducts.of(precision);
  }

  /** Parameters by Hugging Face name, in {@code state_dict} order, then any extension's. */
  public Map<String, NDArray> parameters() {
    return Collections.unmodifiableMap(parameters);
  }

  /**
   * Marks the parameters whose names {@code trainable} accepts as needing gradients, and the others
   * as frozen. The absolute position table is frozen with relative positions, since no pass reads
   * it: PyTorch's optimizers skip such a parameter (its gradient stays unset), so weight decay must
   * not shrink it here either.
   *
   * @return the number of trainable parameters (elements, not tensors)
   */
  public long requireGradients(Predicate<String> trainable) {
    long count = 0;
    for (Map.Entry<String, NDArray> e : parameters.entrySet()) {
      boolean unused =
          config.relativePositions() && e.getKey().equals(BertLayout.POSITION_EMBEDDINGS);
      boolean train = !unused && trainable.test(e.getKey());
      e.getValue().setRequiresGradient(train);
      count += train ? e.getValue().size() : 0;
    }
    return count;
  }

  /** The parameters {@link #requireGradients} marked as trained, by name, in order. */
  public Map<String, NDArray> trainableParameters() {
    Map<String, NDArray> trainable = new LinkedHashMap<>();
    parameters.forEach(
        (name, array) -> {
          if (array.hasGradient()) {
            trainable.put(name, array);
          }
        });
    return trainable;
  }

  /** Copies every parameter into Java memory, for checkpoints and export. */
  public Map<String, TensorData> toTensors() {
    return toTensors(name -> true);
  }

  /** Copies the parameters {@code which} accepts into Java memory. */
  public Map<String, TensorData> toTensors(Predicate<String> which) {
    Map<String, TensorData> tensors = new LinkedHashMap<>();
    parameters.forEach(
        (name, array) -> {
          if (which.test(name)) {
            tensors.put(name, new TensorData(array.getShape().getShape(), array.toFloatArray()));
          }
        });
    return tensors;
  }

  /** Runs the model; {@code dropout} is {@link DropoutMasks#NONE} outside training. */
  public Output forward(ModelInputs in, DropoutMasks dropout) {
    NDManager step = in.inputIds().getManager();
    NDArray prompt = extension.prompt();
    if (prompt != null) {
      in = in.withPrefix(prompt.getShape().get(0));
    }
    NDArray hidden = embeddings(in, prompt, dropout);
    AttentionTerms terms =
        AttentionTerms.of(config, step, in.attentionMask(), hidden.getShape().get(1));
    for (int i = 0; i < config.numHiddenLayers(); i++) {
      hidden = layer(BertLayout.layer(i), hidden, terms, dropout);
    }
    NDArray first = hidden.get(":, 0, :");
    NDArray pooled = dense(first, BertLayout.POOLER, dropout).tanh();
    NDArray logits =
        dense(dropout.apply(pooled, config.headDropout()), BertLayout.CLASSIFIER, dropout);
    return new Output(logits, hidden);
  }

  /**
   * Word, position and token type embeddings, normalised; with a prompt (whose token types and mask
   * {@code in} already covers), its embeddings stand before the words'.
   */
  private NDArray embeddings(ModelInputs in, NDArray prompt, DropoutMasks dropout) {
    NDManager step = in.inputIds().getManager();
    NDArray words = lookup(in.inputIds(), BertLayout.WORD_EMBEDDINGS);
    long total = in.sequenceLength();
    if (prompt != null) {
      long tokens = prompt.getShape().get(0);
      // starts from an activation so that the per-step manager owns the broadcast prompt
      NDArray prompts =
          step.zeros(new Shape(in.batchSize(), tokens, config.hiddenSize())).add(prompt);
      words = NDArrays.concat(new NDList(prompts, words), 1);
      total += tokens;
    }
    NDArray sum = words.add(lookup(in.tokenTypeIds(), BertLayout.TOKEN_TYPE_EMBEDDINGS));
    if (!config.relativePositions()) {
      NDArray positions = step.arange(0L, total, 1L, DataType.INT64).reshape(1, -1);
      sum = sum.add(lookup(positions, BertLayout.POSITION_EMBEDDINGS));
    }
    return dropout.apply(norm(sum, BertLayout.EMBEDDINGS_NORM), config.hiddenDropoutProb());
  }

  private NDArray layer(String prefix, NDArray x, AttentionTerms terms, DropoutMasks dropout) {
    NDArray context = selfAttention(prefix + ".attention.self", x, terms, dropout);
    NDArray attended =
        dropout.apply(
            dense(context, prefix + ".attention.output.dense", dropout),
            config.hiddenDropoutProb());
    attended = extension.sublayer(prefix + ".attention.output", attended, dropout);
    NDArray h = norm(attended.add(x), prefix + ".attention.output.LayerNorm");
    NDArray inner =
        activation(config.hiddenAct(), dense(h, prefix + ".intermediate.dense", dropout));
    NDArray out =
        dropout.apply(dense(inner, prefix + ".output.dense", dropout), config.hiddenDropoutProb());
    out = extension.sublayer(prefix + ".output", out, dropout);
    return norm(out.add(h), prefix + ".output.LayerNorm");
  }

  private NDArray selfAttention(
      String prefix, NDArray x, AttentionTerms terms, DropoutMasks dropout) {
    NDArray q = splitHeads(dense(x, prefix + ".query", dropout));
    NDArray k = splitHeads(dense(x, prefix + ".key", dropout));
    NDArray v = splitHeads(dense(x, prefix + ".value", dropout));
    NDArray scores =
        terms.scores(q, k, parameters.get(prefix + ".distance_embedding.weight"), products);
    NDArray probs = dropout.apply(scores.softmax(-1), config.attentionProbsDropoutProb());
    NDArray context = products.matMul(probs, v).transpose(0, 2, 1, 3);
    Shape s = context.getShape();
    return context.reshape(s.get(0), s.get(1), config.hiddenSize());
  }

  private NDArray splitHeads(NDArray x) {
    Shape s = x.getShape();
    return x.reshape(s.get(0), s.get(1), config.numAttentionHeads(), config.headSize())
        .transpose(0, 2, 1, 3);
  }

  private NDArray dense(NDArray x, String module, DropoutMasks dropout) {
    NDArray out =
        products.linear(x, parameters.get(module + ".weight"), parameters.get(module + ".bias"));
    return extension.linear(module, x, out, dropout);
  }

  private NDArray norm(NDArray x, String module) {
    return LayerNorm.layerNorm(
            x,
            new Shape(config.hiddenSize()),
            parameters.get(module + ".weight"),
            parameters.get(module + ".bias"),
            (float) config.layerNormEps())
        .singletonOrThrow();
  }

  private NDArray lookup(NDArray ids, String table) {
    return Embedding.embedding(ids, parameters.get(table), SparseFormat.DENSE).singletonOrThrow();
  }

  /** {@code hidden_act} applied to {@code x}. */
  static NDArray activation(String hiddenAct, NDArray x) {
    switch (hiddenAct) {
      case "gelu":
        return Activation.gelu(x);
      case "relu":
        return Activation.relu(x);
      case "tanh":
        return x.tanh();
      default:
        throw new IllegalStateException("unsupported hidden_act " + hiddenAct);
    }
  }

  @Override
  public void close() {
    manager.close();
  }
}
