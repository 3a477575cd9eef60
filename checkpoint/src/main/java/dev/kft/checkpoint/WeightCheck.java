package dev.kft.checkpoint;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/** Compares the tensors a model needs with those a file holds, reporting every difference. */
public final class WeightCheck {

  private WeightCheck() {}

  /**
   * Requires {@code tensors} to hold exactly the names and shapes of {@code expected}.
   *
   * @throws SafeTensorsException listing every missing, unexpected and wrongly shaped tensor
   */
  public static void requireExactly(Map<String, long[]> expected, Map<String, TensorData> tensors) {
    List<String> problems = new ArrayList<>();
    for (String name : new TreeSet<>(expected.keySet())) {
      TensorData t = tensors.get(name);
      if (t == null) {
        problems.add("missing tensor " + name + " " + Arrays.toString(expected.get(name)));
      } else if (!Arrays.equals(t.shape(), expected.get(name))) {
        problems.add(
            "tensor "
                + name
                + " has shape "
                + Arrays.toString(t.shape())
                + ", the model needs "
                + Arrays.toString(expected.get(name)));
      }
    }
    for (String name : new TreeSet<>(tensors.keySet())) {
      if (!expected.containsKey(name)) {
        problems.add("unexpected tensor " + name);
      }
    }
    if (!problems.isEmpty()) {
      throw new SafeTensorsException(
          problems.size() + " weight problem(s):\n  " + String.join("\n  ", problems));
    }
  }
}
