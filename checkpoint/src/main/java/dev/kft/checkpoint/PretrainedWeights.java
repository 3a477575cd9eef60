package dev.kft.checkpoint;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Fits a pretrained checkpoint's tensors to a classifier, as Hugging Face's {@code from_pretrained}
 * does: old {@code gamma}/{@code beta} names and a missing {@code bert.} prefix are mapped, heads
 * of other tasks ({@code cls.*}) are dropped, and a classifier head that is missing or sized for
 * other labels is initialised fresh. Any other difference is an error.
 */
public final class PretrainedWeights {

  private static final Pattern LAYER = Pattern.compile("^bert\\.encoder\\.layer\\.(\\d+)\\.");

  /**
   * The fitted tensors, what was initialised fresh and what was left unused.
   *
   * @param initialized tensors the checkpoint lacked, initialised from the seed
   * @param unused checkpoint tensors the classifier has no place for
   */
  public record Fitted(
      Map<String, TensorData> tensors, List<String> initialized, List<String> unused) {}

  /**
   * Tensor names summed up for a report: each encoder layer as {@code bert.encoder.layer.N.*}, each
   * pretraining head as {@code cls.predictions.*} or {@code cls.seq_relationship.*}, other names as
   * they are, in order of first mention.
   */
  public static List<String> grouped(List<String> names) {
    Set<String> groups = new LinkedHashSet<>();
    for (String name : names) {
      Matcher layer = LAYER.matcher(name);
      if (layer.lookingAt()) {
        groups.add(layer.group() + "*");
      } else if (name.startsWith("cls.") && name.indexOf('.', 4) > 0) {
        groups.add(name.substring(0, name.indexOf('.', 4)) + ".*");
      } else {
        groups.add(name);
      }
    }
    return List.copyOf(groups);
  }

  private PretrainedWeights() {}

  public static Fitted fit(BertConfig config, Map<String, TensorData> checkpoint, long seed) {
    Map<String, long[]> shapes = BertLayout.shapes(config);
    Map<String, TensorData> renamed = rename(checkpoint);
    int layers = layers(renamed);
    if (config.numHiddenLayers() > layers) {
      throw new IllegalArgumentException(
          "model.config_overrides.num_hidden_layers: "
              + config.numHiddenLayers()
              + " layers asked of a checkpoint with "
              + layers);
    }
    Map<String, TensorData> fresh = null;
    Map<String, TensorData> tensors = new LinkedHashMap<>();
    List<String> initialized = new ArrayList<>();
    List<String> unused = new ArrayList<>();
    for (Map.Entry<String, long[]> e : shapes.entrySet()) {
      String name = e.getKey();
      TensorData t = renamed.get(name);
      boolean head =
          name.startsWith(BertLayout.CLASSIFIER + ".") || name.startsWith(BertLayout.POOLER + ".");
      if ((t == null || !Arrays.equals(t.shape(), e.getValue())) && head) {
        fresh = fresh != null ? fresh : BertInit.random(config, seed);
        tensors.put(name, fresh.get(name));
        initialized.add(name);
      } else if (t != null) {
        tensors.put(name, t);
      }
    }
    for (String name : renamed.keySet()) {
      if (!shapes.containsKey(name)) {
        unused.add(name);
      }
    }
    Map<String, TensorData> checked = new LinkedHashMap<>(tensors);
    renamed.forEach(
        (name, t) -> {
          if (!shapes.containsKey(name) && !ignorable(name) && !dropped(name, config)) {
            checked.put(name, t);
          }
        });
    WeightCheck.requireExactly(shapes, checked);
    return new Fitted(tensors, initialized, unused);
  }

  /**
   * Whether {@code name} belongs to an encoder layer beyond the config's, which a model with fewer
   * layers leaves out as {@code from_pretrained(..., num_hidden_layers=N)} does.
   */
  private static boolean dropped(String name, BertConfig config) {
    Matcher m = LAYER.matcher(name);
    return m.find() && Integer.parseInt(m.group(1)) >= config.numHiddenLayers();
  }

  private static int layers(Map<String, TensorData> renamed) {
    int layers = 0;
    for (String name : renamed.keySet()) {
      Matcher m = LAYER.matcher(name);
      if (m.find()) {
        layers = Math.max(layers, Integer.parseInt(m.group(1)) + 1);
      }
    }
    return layers;
  }

  private static boolean ignorable(String name) {
    return name.startsWith("cls.") || name.endsWith("position_ids");
  }

  private static Map<String, TensorData> rename(Map<String, TensorData> checkpoint) {
    boolean prefixed = checkpoint.keySet().stream().anyMatch(k -> k.startsWith(BertLayout.PREFIX));
    Map<String, TensorData> renamed = new LinkedHashMap<>();
    checkpoint.forEach(
        (name, t) -> {
          String n = name.replaceAll("\\.gamma$", ".weight").replaceAll("\\.beta$", ".bias");
          boolean encoderPart =
              n.startsWith("embeddings.") || n.startsWith("encoder.") || n.startsWith("pooler.");
          renamed.put(!prefixed && encoderPart ? BertLayout.PREFIX + n : n, t);
        });
    return renamed;
  }
}
