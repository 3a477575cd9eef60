package dev.kft.peft;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Activation;
import ai.djl.nn.core.Linear;
import dev.kft.checkpoint.BertConfig;
import dev.kft.checkpoint.BertLayout;
import dev.kft.checkpoint.TensorData;
import dev.kft.job.AdapterSpec;
import dev.kft.job.AdapterType;
import dev.kft.nn.DropoutMasks;
import dev.kft.nn.ModelExtension;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Function;

/**
 * Bottleneck adapters as AdapterHub places them: a small residual network {@code z + up(relu(down
 * z))} on a sub-layer's output, before its residual connection and LayerNorm. {@code pfeiffer} puts
 * one after each layer's feed-forward output, {@code houlsby} one after the attention output too.
 * The bottleneck is {@code hidden_size / reduction_factor} wide; {@code down} starts from normal(0,
 * 0.02) and {@code up} from zeros, so training starts from the base model exactly. The classifier
 * head is trained with the adapters.
 */
public final class BottleneckAdapters implements PeftMethod {

  private static final String ADAPTER = ".adapter";

  private final Map<String, long[]> shapes = new LinkedHashMap<>();

  /**
   * @throws IllegalArgumentException when the bottleneck would be narrower than one unit
   */
  public BottleneckAdapters(AdapterSpec spec, BertConfig config) {
    int hidden = config.hiddenSize();
    int bottleneck = hidden / spec.reductionFactor();
    if (bottleneck < 1) {
      throw new IllegalArgumentException(
          "method.adapter.reduction_factor: "
              + spec.reductionFactor()
              + " leaves no unit of the model's hidden size "
              + hidden);
    }
    for (int i = 0; i < config.numHiddenLayers(); i++) {
      if (spec.type() == AdapterType.HOULSBY) {
        add(BertLayout.layer(i) + ".attention.output", hidden, bottleneck);
      }
      add(BertLayout.layer(i) + ".output", hidden, bottleneck);
    }
  }

  private void add(String sublayer, int hidden, int bottleneck) {
    String prefix = sublayer + ADAPTER;
    shapes.put(prefix + ".down.weight", new long[] {bottleneck, hidden});
    shapes.put(prefix + ".down.bias", new long[] {bottleneck});
    shapes.put(prefix + ".up.weight", new long[] {hidden, bottleneck});
    shapes.put(prefix + ".up.bias", new long[] {hidden});
  }

  @Override
  public Map<String, long[]> shapes() {
    return shapes;
  }

  @Override
  public Map<String, TensorData> init(long seed, Function<String, TensorData> base) {
    SplittableRandom random = new SplittableRandom(seed ^ 0x41646170L);
    Map<String, TensorData> tensors = new LinkedHashMap<>();
    shapes.forEach(
        (name, shape) -> {
          int size = (int) TensorData.elementCount(shape);
          float[] values =
              name.endsWith(".down.weight")
                  ? PeftMethod.normal(random.split(), size, 0.02)
                  : new float[size];
          tensors.put(name, new TensorData(shape, values));
        });
    return tensors;
  }

  @Override
  public boolean trainsBase(String name) {
    return Modules.head(name);
  }

  @Override
  public ModelExtension bind(Map<String, NDArray> tensors) {
    return new ModelExtension() {
      @Override
      public NDArray sublayer(String module, NDArray output, DropoutMasks dropout) {
        String prefix = module + ADAPTER;
        NDArray down = tensors.get(prefix + ".down.weight");
        if (down == null) {
          return output;
        }
        NDArray inner =
            Activation.relu(
                Linear.linear(output, down, tensors.get(prefix + ".down.bias")).singletonOrThrow());
        NDArray up =
            Linear.linear(
                    inner, tensors.get(prefix + ".up.weight"), tensors.get(prefix + ".up.bias"))
                .singletonOrThrow();
        return output.add(up);
      }
    };
  }
}
