package dev.kft.peft;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.core.Linear;
import dev.kft.checkpoint.BertConfig;
import dev.kft.checkpoint.LoraLayout;
import dev.kft.checkpoint.TensorData;
import dev.kft.job.LoraBias;
import dev.kft.job.LoraSpec;
import dev.kft.nn.DropoutMasks;
import dev.kft.nn.ModelExtension;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Function;

/**
 * LoRA as PEFT's {@code LoraConfig} defines it: each target linear module {@code W} gains {@code
 * lora_A} ({@code [r, in]}, Kaiming-uniform) and {@code lora_B} ({@code [out, r]}, zeros), and
 * computes {@code W x + scaling · B A dropout(x)} with {@code scaling = lora_alpha / r} (or {@code
 * / sqrt(r)} with rsLoRA), so training starts from the base model exactly.
 */
public final class Lora implements PeftMethod {

  private final LoraLayout layout;

  /**
   * @throws IllegalArgumentException when {@code target_modules} names no linear module
   */
  public Lora(LoraSpec spec, BertConfig config) {
    this.layout = new LoraLayout(spec, config);
  }

  @Override
  public Map<String, long[]> shapes() {
    return layout.shapes();
  }

  @Override
  public Map<String, TensorData> init(long seed, Function<String, TensorData> base) {
    SplittableRandom random = new SplittableRandom(seed ^ 0x4C6F5241L);
    Map<String, TensorData> tensors = new LinkedHashMap<>();
    for (Map.Entry<String, long[]> e : layout.shapes().entrySet()) {
      long[] shape = e.getValue();
      float[] values = new float[(int) TensorData.elementCount(shape)];
      if (e.getKey().endsWith(LoraLayout.A)) {
        // kaiming_uniform_(a=sqrt(5)) bounds the values by 1/sqrt(fan_in)
        SplittableRandom r = random.split();
        double bound = 1 / Math.sqrt(shape[1]);
        for (int i = 0; i < values.length; i++) {
          values[i] = (float) ((2 * r.nextDouble() - 1) * bound);
        }
      }
      tensors.put(e.getKey(), new TensorData(shape, values));
    }
    return tensors;
  }

  @Override
  public boolean trainsBase(String name) {
    String module = name.substring(0, name.lastIndexOf('.'));
    boolean bias = name.endsWith(".bias");
    if (bias && layout.spec().bias() == LoraBias.ALL) {
      return true;
    }
    if (bias && layout.spec().bias() == LoraBias.LORA_ONLY && layout.targets().contains(module)) {
      return true;
    }
    return Modules.saved(layout.spec().modulesToSave(), name);
  }

  @Override
  public ModelExtension bind(Map<String, NDArray> tensors) {
    double scaling = layout.scaling();
    double dropout = layout.spec().loraDropout();
    return new ModelExtension() {
      @Override
      public NDArray linear(String module, NDArray input, NDArray output, DropoutMasks masks) {
        NDArray a = tensors.get(module + LoraLayout.A);
        if (a == null) {
          return output;
        }
        NDArray x = masks.apply(input, dropout);
        NDManager step = output.getManager();
        NDArray update =
            Linear.linear(
                    Linear.linear(x, a, null).singletonOrThrow(),
                    tensors.get(module + LoraLayout.B),
                    null)
                .singletonOrThrow();
        return output.add(update.mul(step.create((float) scaling)));
      }
    };
  }

  /** The base tensors with the trained updates folded in; see {@link LoraLayout#merge}. */
  public Map<String, TensorData> merge(Map<String, TensorData> tensors) {
    return layout.merge(tensors);
  }
}
