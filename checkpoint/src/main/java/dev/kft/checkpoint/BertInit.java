package dev.kft.checkpoint;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Random weights as Hugging Face's {@code BertPreTrainedModel._init_weights} draws them: linear and
 * embedding weights from normal(0, {@code initializer_range}), the padding token's embedding row,
 * every bias and every LayerNorm bias zero, LayerNorm weights one. The same seed gives the same
 * weights on every machine, since the numbers come from Java, not the engine.
 */
public final class BertInit {

  private BertInit() {}

  public static Map<String, TensorData> random(BertConfig config, long seed) {
    Map<String, TensorData> tensors = new LinkedHashMap<>();
    SplittableRandom random = new SplittableRandom(seed);
    for (Map.Entry<String, long[]> e : BertLayout.shapes(config).entrySet()) {
      tensors.put(e.getKey(), init(config, e.getKey(), e.getValue(), random.split()));
    }
    return tensors;
  }

  private static TensorData init(
      BertConfig config, String name, long[] shape, SplittableRandom random) {
    float[] values = new float[(int) TensorData.elementCount(shape)];
    if (name.contains("LayerNorm.weight")) {
      Arrays.fill(values, 1f);
    } else if (name.endsWith(".weight")) {
      double std = config.initializerRange();
      for (int i = 0; i < values.length; i++) {
        values[i] = (float) (gaussian(random) * std);
      }
      if (name.equals(BertLayout.WORD_EMBEDDINGS)) {
        int width = (int) shape[1];
        Arrays.fill(values, config.padTokenId() * width, (config.padTokenId() + 1) * width, 0f);
      }
    }
    return new TensorData(shape, values);
  }

  /** A standard normal sample (Marsaglia's polar method). */
  public static double gaussian(SplittableRandom random) {
    double u;
    double v;
    double s;
    do {
      u = 2 * random.nextDouble() - 1;
      v = 2 * random.nextDouble() - 1;
      s = u * u + v * v;
    } while (s >= 1 || s == 0);
    return u * Math.sqrt(-2 * Math.log(s) / s);
  }
}
