package dev.kft.trainer.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import dev.kft.nn.NoGrad;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The one-pass CPU update ({@link FusedAdamW}, plain Java over the tensors' memory) against the
 * op-by-op update GPUs take (native PyTorch ops): same weights, moments and zeroed gradients after
 * steps with weight decay on some tensors and clipping on some steps. Parity of the update with
 * {@code torch.optim.AdamW} itself is {@link TrainingStepParityTest}'s.
 */
@Tag("unit")
class AdamWTest {

  private static final Map<String, Shape> SHAPES =
      Map.of(
          "encoder.dense.weight", new Shape(70_000),
          "encoder.dense.bias", new Shape(33),
          "encoder.LayerNorm.weight", new Shape(5, 7));

  @Test
  void fusedUpdateEqualsOpByOpUpdate() {
    Map<String, float[]> fused = train(true);
    Map<String, float[]> opByOp = train(false);
    double max = 0;
    for (String name : fused.keySet()) {
      float[] a = fused.get(name);
      float[] b = opByOp.get(name);
      for (int i = 0; i < a.length; i++) {
        max = Math.max(max, Math.abs(a[i] - b[i]) / Math.max(1, Math.abs(b[i])));
      }
    }
    // a few float roundings apart: relative to the value where it exceeds 1 (second moments)
    assertTrue(max <= 1e-6, "max |Δ| / max(1, |x|) fused vs op by op = " + max);
  }

  /** Weights, then moments, then gradients (after the last step) of five steps, by name. */
  private static Map<String, float[]> train(boolean fuse) {
    Map<String, float[]> out = new LinkedHashMap<>();
    try (NDManager manager = NDManager.newBaseManager();
        AdamW optimizer =
            new AdamW(
                manager,
                0.9,
                0.999,
                1e-8,
                0.1,
                Set.of("encoder.dense.bias", "encoder.LayerNorm.weight"),
                fuse)) {
      Random random = new Random(5);
      Map<String, NDArray> parameters = new LinkedHashMap<>();
      Map<String, NDArray> targets = new LinkedHashMap<>();
      for (String name :
          new String[] {"encoder.dense.weight", "encoder.dense.bias", "encoder.LayerNorm.weight"}) {
        parameters.put(name, manager.create(values(random, SHAPES.get(name)), SHAPES.get(name)));
        parameters.get(name).setRequiresGradient(true);
        targets.put(name, manager.create(values(random, SHAPES.get(name)), SHAPES.get(name)));
      }
      assertEquals(
          fuse, FusedAdamW.supports(parameters.values()) && fuse, "CPU takes the fused path");
      for (int step = 0; step < 5; step++) {
        try (NDManager scratch = manager.newSubManager()) {
          try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            NDArray loss = scratch.zeros(new Shape());
            for (String name : parameters.keySet()) {
              NDArray diff = parameters.get(name).sub(targets.get(name));
              loss = loss.add(diff.mul(diff).mul(diff).sum());
            }
            collector.backward(loss);
          }
          try (NoGrad noGrad = NoGrad.enter()) {
            optimizer.step(parameters, 1e-2 * (step + 1), step % 2 == 0 ? 0.25 : 1.0);
          }
        }
      }
      parameters.forEach((n, p) -> out.put(n, p.toFloatArray()));
      optimizer.firstMoments().forEach((n, m) -> out.put("m." + n, m.toFloatArray()));
      optimizer.secondMoments().forEach((n, v) -> out.put("v." + n, v.toFloatArray()));
      parameters.forEach(
          (n, p) -> {
            float[] g = p.getGradient().toFloatArray();
            for (float x : g) {
              assertEquals(0f, x, "gradient of " + n + " reset");
            }
          });
      assertEquals(5, optimizer.steps());
    }
    return out;
  }

  private static float[] values(Random random, Shape shape) {
    float[] v = new float[(int) shape.size()];
    for (int i = 0; i < v.length; i++) {
      v[i] = (float) random.nextGaussian();
    }
    return v;
  }
}
