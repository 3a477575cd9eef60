package dev.kft.peft;

import ai.djl.ndarray.NDArray;
import dev.kft.checkpoint.BertConfig;
import dev.kft.checkpoint.BertInit;
import dev.kft.checkpoint.BertLayout;
import dev.kft.checkpoint.TensorData;
import dev.kft.events.ParameterCount;
import dev.kft.nn.ModelExtension;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Function;

/**
 * A parameter-efficient fine-tuning method: the tensors it adds to a BERT classifier, which of the
 * base model's tensors it still trains, and how its tensors act in the forward pass. Every tensor
 * it adds is trained; the other base tensors stay frozen.
 */
public interface PeftMethod {

  /** The tensors the method adds, by name, with their shapes, in a fixed order. */
  Map<String, long[]> shapes();

  /**
   * Initial values of the added tensors, drawn from {@code seed} in Java (the same on every
   * machine).
   *
   * @param base reads a base tensor by name (prompt tuning copies word embeddings)
   */
  Map<String, TensorData> init(long seed, Function<String, TensorData> base);

  /** Whether the base tensor {@code name} is trained too (a head, biases). */
  boolean trainsBase(String name);

  /** The forward-pass hooks over the added tensors, once they are arrays of the model. */
  ModelExtension bind(Map<String, NDArray> tensors);

  /** Whether tensor {@code name}, added or base, is trained. */
  default boolean trains(String name) {
    return shapes().containsKey(name) || trainsBase(name);
  }

  /**
   * Trainable and all parameters of a model of {@code config} with this method, counting every
   * tensor once, as PEFT's {@code print_trainable_parameters()} reports them.
   */
  default ParameterCount count(BertConfig config) {
    long trainable = 0;
    long all = 0;
    for (Map.Entry<String, long[]> e : BertLayout.shapes(config).entrySet()) {
      long n = TensorData.elementCount(e.getValue());
      all += n;
      trainable += trainsBase(e.getKey()) ? n : 0;
    }
    for (long[] shape : shapes().values()) {
      long n = TensorData.elementCount(shape);
      all += n;
      trainable += n;
    }
    return new ParameterCount(trainable, all);
  }

  /** {@code size} samples of normal(0, {@code std}). */
  static float[] normal(SplittableRandom random, int size, double std) {
    float[] values = new float[size];
    for (int i = 0; i < size; i++) {
      values[i] = (float) (BertInit.gaussian(random) * std);
    }
    return values;
  }
}
