package dev.kft.peft;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.core.Linear;
import dev.kft.checkpoint.TensorData;
import dev.kft.job.BertFamily;
import dev.kft.job.LoraSpec;
import dev.kft.job.TargetModules;
import dev.kft.nn.BertConfig;
import dev.kft.nn.BertLayout;
import dev.kft.nn.DropoutMasks;
import dev.kft.nn.ModelExtension;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * LoRA as PEFT's {@code LoraConfig} defines it: each target linear module {@code W} gains {@code
 * lora_A} ({@code [r, in]}, Kaiming-uniform) and {@code lora_B} ({@code [out, r]}, zeros), and
 * computes {@code W x + scaling · B A dropout(x)} with {@code scaling = lora_alpha / r} (or {@code
 * / sqrt(r)} with rsLoRA), so training starts from the base model exactly.
 */
public final class Lora implements PeftMethod {

  public static final String A = ".lora_A.weight";
  public static final String B = ".lora_B.weight";

  private final LoraSpec spec;
  private final BertConfig config;
  private final List<String> targets;
  private final Map<String, long[]> shapes = new LinkedHashMap<>();

  /**
   * @throws IllegalArgumentException when {@code target_modules} names no linear module
   */
  public Lora(LoraSpec spec, BertConfig config) {
    this.spec = spec;
    this.config = config;
    this.targets = targets(spec.targetModules(), config);
    if (targets.isEmpty()) {
      throw new IllegalArgumentException(
          "method.lora.target_modules: "
              + describe(spec.targetModules())
              + " names no linear module of this model");
    }
    Map<String, long[]> base = BertLayout.shapes(config);
    for (String module : targets) {
      long[] weight = base.get(module + ".weight");
      shapes.put(module + A, new long[] {spec.r(), weight[1]});
      shapes.put(module + B, new long[] {weight[0], spec.r()});
    }
  }

  /**
   * The linear modules LoRA adapts, matched as PEFT matches them: a name targets the modules whose
   * full name equals it or ends with {@code .name}; a pattern must match the whole name; {@code
   * all-linear} is every linear module but the classifier head.
   */
  static List<String> targets(TargetModules target, BertConfig config) {
    List<String> modules = new ArrayList<>();
    for (String module : BertFamily.linearModuleNames(config.numHiddenLayers())) {
      boolean match;
      if (TargetModules.ALL_LINEAR.equals(target.pattern())) {
        match = !module.equals(BertLayout.CLASSIFIER);
      } else if (target.pattern() != null) {
        match = Pattern.compile(target.pattern()).matcher(module).matches();
      } else {
        match = target.names().stream().anyMatch(n -> module.equals(n) || module.endsWith("." + n));
      }
      if (match) {
        modules.add(module);
      }
    }
    return modules;
  }

  private static String describe(TargetModules target) {
    return target.pattern() != null ? "'" + target.pattern() + "'" : target.names().toString();
  }

  /** The adapted modules, in model order. */
  public List<String> targets() {
    return List.copyOf(targets);
  }

  public LoraSpec spec() {
    return spec;
  }

  /** The factor the update {@code B A x} is multiplied by. */
  public double scaling() {
    return spec.useRslora() ? spec.loraAlpha() / Math.sqrt(spec.r()) : spec.loraAlpha() / spec.r();
  }

  @Override
  public Map<String, long[]> shapes() {
    return shapes;
  }

  @Override
  public Map<String, TensorData> init(long seed, Function<String, TensorData> base) {
    SplittableRandom random = new SplittableRandom(seed ^ 0x4C6F5241L);
    Map<String, TensorData> tensors = new LinkedHashMap<>();
    for (Map.Entry<String, long[]> e : shapes.entrySet()) {
      long[] shape = e.getValue();
      float[] values = new float[(int) TensorData.elementCount(shape)];
      if (e.getKey().endsWith(A)) {
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
    if (bias && "all".equals(spec.bias())) {
      return true;
    }
    if (bias && "lora_only".equals(spec.bias()) && targets.contains(module)) {
      return true;
    }
    return Modules.saved(spec.modulesToSave(), name);
  }

  @Override
  public ModelExtension bind(Map<String, NDArray> tensors) {
    double scaling = scaling();
    double dropout = spec.loraDropout();
    return new ModelExtension() {
      @Override
      public NDArray linear(String module, NDArray input, NDArray output, DropoutMasks masks) {
        NDArray a = tensors.get(module + A);
        if (a == null) {
          return output;
        }
        NDArray x = masks.apply(input, dropout);
        NDManager step = output.getManager();
        NDArray update =
            Linear.linear(
                    Linear.linear(x, a, null).singletonOrThrow(), tensors.get(module + B), null)
                .singletonOrThrow();
        return output.add(update.mul(step.create((float) scaling)));
      }
    };
  }

  /**
   * Folds the updates into the base weights ({@code W + scaling · B A}), giving a plain model that
   * computes what the adapted one computes.
   *
   * @param tensors base tensors and this method's, as trained
   * @return the base tensors with the updates folded in
   */
  public Map<String, TensorData> merge(Map<String, TensorData> tensors) {
    Map<String, TensorData> merged = new LinkedHashMap<>();
    for (String name : BertLayout.shapes(config).keySet()) {
      merged.put(name, tensors.get(name));
    }
    for (String module : targets) {
      TensorData w = tensors.get(module + ".weight");
      TensorData a = tensors.get(module + A);
      TensorData b = tensors.get(module + B);
      merged.put(module + ".weight", fold(w, a, b, spec.r(), scaling()));
    }
    return merged;
  }

  private static TensorData fold(TensorData w, TensorData a, TensorData b, int r, double scaling) {
    int out = (int) w.shape()[0];
    int in = (int) w.shape()[1];
    float[] values = w.values().clone();
    float[] av = a.values();
    float[] bv = b.values();
    for (int o = 0; o < out; o++) {
      for (int k = 0; k < r; k++) {
        double coefficient = bv[o * r + k] * scaling;
        if (coefficient == 0) {
          continue;
        }
        for (int i = 0; i < in; i++) {
          values[o * in + i] += (float) (coefficient * av[k * in + i]);
        }
      }
    }
    return new TensorData(w.shape(), values);
  }
}
