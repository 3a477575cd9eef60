package dev.kft.checkpoint;

import dev.kft.job.BertFamily;
import dev.kft.job.LoraSpec;
import dev.kft.job.TargetModules;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * What LoRA adds to a BERT model's files, without an engine: the linear modules a {@link LoraSpec}
 * adapts, the names and shapes of their {@code lora_A}/{@code lora_B} tensors, the update's
 * scaling, and the merge of trained updates into the base weights (as PEFT's {@code
 * merge_and_unload}). The registry merges with it; the trainer's LoRA method computes with it.
 */
public final class LoraLayout {

  public static final String A = ".lora_A.weight";
  public static final String B = ".lora_B.weight";

  private final LoraSpec spec;
  private final BertConfig config;
  private final List<String> targets;
  private final Map<String, long[]> shapes = new LinkedHashMap<>();

  /**
   * @throws IllegalArgumentException when {@code target_modules} names no linear module
   */
  public LoraLayout(LoraSpec spec, BertConfig config) {
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
  public static List<String> targets(TargetModules target, BertConfig config) {
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

  /** The names and shapes of the {@code lora_A}/{@code lora_B} tensors, in model order. */
  public Map<String, long[]> shapes() {
    return shapes;
  }

  /** The factor the update {@code B A x} is multiplied by. */
  public double scaling() {
    return spec.useRslora() ? spec.loraAlpha() / Math.sqrt(spec.r()) : spec.loraAlpha() / spec.r();
  }

  /**
   * Folds the updates into the base weights ({@code W + scaling · B A}), giving a plain model that
   * computes what the adapted one computes.
   *
   * @param tensors base tensors and the LoRA tensors, as trained
   * @return the base tensors with the updates folded in
   */
  public Map<String, TensorData> merge(Map<String, TensorData> tensors) {
    Map<String, TensorData> merged = new LinkedHashMap<>();
    for (String name : BertLayout.shapes(config).keySet()) {
      merged.put(name, tensors.get(name));
    }
    for (String module : targets) {
      TensorData weight = tensors.get(module + ".weight");
      TensorData a = tensors.get(module + A);
      TensorData b = tensors.get(module + B);
      merged.put(module + ".weight", fold(weight, a, b, spec.r(), scaling()));
    }
    return merged;
  }

  private static TensorData fold(
      TensorData weight, TensorData a, TensorData b, int rank, double scaling) {
    int out = (int) weight.shape()[0];
    int in = (int) weight.shape()[1];
    float[] values = weight.values().clone();
    float[] av = a.values();
    float[] bv = b.values();
    for (int o = 0; o < out; o++) {
      for (int k = 0; k < rank; k++) {
        double coefficient = bv[o * rank + k] * scaling;
        if (coefficient == 0) {
          continue;
        }
        for (int i = 0; i < in; i++) {
          values[o * in + i] += (float) (coefficient * av[k * in + i]);
        }
      }
    }
    return new TensorData(weight.shape(), values);
  }
}
