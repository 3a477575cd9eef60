package dev.kft.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import dev.kft.batch.TokenizedBatch;
import dev.kft.checkpoint.BertConfig;
import dev.kft.checkpoint.BertInit;
import dev.kft.checkpoint.BertLayout;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The model is safe to train with DJL's autograd: garbage collection between forward and backward
 * does not corrupt gradients (DJL's {@code Number} overloads do), and per-step managers keep the
 * number of live native arrays flat.
 */
@Tag("unit")
class AutogradSafetyTest {

  private static float step(BertClassifier model, TokenizedBatch batch, boolean collectGarbage) {
    try (NDManager step = model.manager().newSubManager();
        GradientCollector collector = Engine.getInstance().newGradientCollector()) {
      NDArray loss =
          Losses.crossEntropy(
              model.forward(ModelInputs.of(step, batch), DropoutMasks.seeded(1)).logits(),
              ModelInputs.labels(step, batch));
      if (collectGarbage) {
        collectAndScribble();
      }
      collector.backward(loss);
      return loss.getFloat();
    }
  }

  /**
   * Collects garbage, lets cleaners free unreachable native buffers, then allocates small native
   * buffers full of NaN bit patterns, so that memory freed too early is overwritten.
   */
  private static void collectAndScribble() {
    System.gc();
    try {
      Thread.sleep(50);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    List<ByteBuffer> scribbles = new ArrayList<>();
    for (int i = 0; i < 2000; i++) {
      ByteBuffer b = ByteBuffer.allocateDirect(4 + (i % 16) * 4);
      while (b.hasRemaining()) {
        b.put((byte) 0xFF);
      }
      scribbles.add(b);
    }
    scribbled = scribbles;
  }

  /** Keeps the scribbles reachable until the next step, so their memory is not reused. */
  private static List<ByteBuffer> scribbled;

  private static boolean allGradientsFinite(BertClassifier model) {
    for (NDArray p : model.parameters().values()) {
      try (NDArray g = p.getGradient()) {
        for (float v : g.toFloatArray()) {
          if (!Float.isFinite(v)) {
            return false;
          }
        }
      }
    }
    return true;
  }

  @Test
  void garbageCollectionBetweenForwardAndBackwardKeepsGradientsFinite() {
    BertConfig config = TinyBert.config(300, 32, 2, 2, 3, 0.02);
    try (NDManager manager = NDManager.newBaseManager();
        BertClassifier model = BertClassifier.create(config, BertInit.random(config, 3), manager)) {
      assertEquals(BertLayout.parameterCount(config), model.requireGradients(name -> true));
      TokenizedBatch batch = TinyBert.batch(4, 10, 300, 1);
      for (int i = 0; i < 5; i++) {
        float loss = step(model, batch, true);
        assertTrue(Float.isFinite(loss), "loss at step " + i);
        assertTrue(allGradientsFinite(model), "gradients at step " + i);
      }
    }
  }

  @Test
  void twoThousandStepsKeepTheArrayCountFlat() {
    BertConfig config = TinyBert.config(200, 32, 1, 2, 2, 0.02);
    try (NDManager manager = NDManager.newBaseManager();
        BertClassifier model = BertClassifier.create(config, BertInit.random(config, 4), manager)) {
      model.requireGradients(name -> true);
      TokenizedBatch batch = TinyBert.batch(4, 8, 200, 2);
      int afterWarmup = 0;
      for (int i = 1; i <= 2000; i++) {
        step(model, batch, false);
        if (i == 20) {
          afterWarmup = manager.getManagedArrays().size();
        }
      }
      assertEquals(afterWarmup, manager.getManagedArrays().size());
      assertTrue(
          afterWarmup <= 2 * model.parameters().size() + 4,
          "live arrays " + afterWarmup + " for " + model.parameters().size() + " parameters");
    }
  }

  @Test
  void inferenceRecordsNoGraph() {
    BertConfig config = TinyBert.config(200, 32, 1, 2, 2, 0.02);
    try (NDManager manager = NDManager.newBaseManager();
        BertClassifier model = BertClassifier.create(config, BertInit.random(config, 5), manager)) {
      model.requireGradients(name -> true);
      TokenizedBatch batch = TinyBert.batch(5, 8, 200, 3);
      Inference.Result result = new Inference(model, 2).run(batch);
      assertEquals(5, result.logits().length);
      for (float[] p : result.probabilities()) {
        assertEquals(1.0, p[0] + p[1], 1e-6);
      }
      try (NDManager step = manager.newSubManager()) {
        NDArray logits = model.forward(ModelInputs.of(step, batch), DropoutMasks.NONE).logits();
        assertFalse(logits.hasGradient(), "a forward pass outside training records no graph");
      }
      Map<String, NDArray> params = model.parameters();
      assertTrue(params.get("classifier.weight").hasGradient());
    }
  }
}
