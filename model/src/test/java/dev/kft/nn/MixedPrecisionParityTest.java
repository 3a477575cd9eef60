package dev.kft.nn;

import static dev.kft.nn.BertParityTest.flatten;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kft.batch.TokenizedBatch;
import dev.kft.checkpoint.BertConfig;
import dev.kft.checkpoint.BertInit;
import dev.kft.checkpoint.SafeTensorsReader;
import dev.kft.checkpoint.SafeTensorsWriter;
import dev.kft.checkpoint.TensorData;
import dev.kft.json.Json;
import dev.kft.testing.PythonReference;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One bfloat16 step (forward, loss, backward) of ours against PyTorch's {@code
 * torch.autocast("cpu", dtype=torch.bfloat16)} step of the reference model from the same weights:
 * the forward rounds where autocast rounds (the same logits and loss, unlike our float32 step's),
 * and every gradient agrees within what bfloat16's 8-bit significand allows.
 */
@Tag("parity")
class MixedPrecisionParityTest {

  @TempDir Path dir;

  /** Loss, logits and gradients of one step of ours. */
  private record Step(double loss, float[] logits, Map<String, float[]> gradients) {}

  @Test
  void aBf16StepMatchesPyTorchAutocast() throws Exception {
    // head size 16: the score scale 1/4 is exact in bfloat16, as autocast divides in it
    BertConfig config = TinyBert.config(300, 64, 2, 4, 3, 0.1);
    Map<String, TensorData> weights = BertInit.random(config, 13);
    TokenizedBatch batch = TinyBert.batch(8, 16, 300, 9);
    SafeTensorsWriter.write(dir.resolve("model.safetensors"), weights, Map.of("format", "pt"));
    ObjectNode json = (ObjectNode) Json.mapper().readTree(config.toJson().toString());
    // dropout off on both sides: the comparison is of arithmetic, not of random masks
    json.put("hidden_dropout_prob", 0.0).put("attention_probs_dropout_prob", 0.0);
    Files.writeString(dir.resolve("config.json"), json.toString());
    ObjectNode inputs = (ObjectNode) Json.mapper().readTree(BertParityTest.inputsJson(batch));
    inputs.set("labels", Json.mapper().valueToTree(batch.labels()));
    Files.writeString(dir.resolve("inputs.json"), inputs.toString());

    JsonNode reference =
        Json.mapper()
            .readTree(
                PythonReference.run(
                    "autocast_reference.py",
                    dir,
                    "config.json",
                    "model.safetensors",
                    "inputs.json",
                    "grads.safetensors"));
    Map<String, float[]> theirs = new LinkedHashMap<>();
    try (SafeTensorsReader reader = SafeTensorsReader.open(dir.resolve("grads.safetensors"))) {
      reader.readAll().forEach((n, t) -> theirs.put(n, t.values()));
    }
    Step bf16 = step(config, weights, batch, Precision.BFLOAT16);
    Step fp32 = step(config, weights, batch, Precision.FLOAT32);

    float[] autocastLogits = flatten(reference.get("logits"));
    double lossDiff = Math.abs(bf16.loss() - reference.path("loss").asDouble());
    double logitDiff = BertParityTest.maxAbsDiff(bf16.logits(), autocastLogits);
    double fp32LogitDiff = BertParityTest.maxAbsDiff(fp32.logits(), autocastLogits);
    double gradError = relativeError(bf16.gradients(), theirs);
    System.out.printf(
        "bf16 step vs PyTorch autocast: |Δloss| %.3g, max |Δlogit| %.3g (our float32 step's"
            + " logits: %.3g), largest relative gradient error %.3g%n",
        lossDiff, logitDiff, fp32LogitDiff, gradError);
    // the forward rounds exactly where autocast does, so it agrees to float32 noise
    assertTrue(lossDiff <= 1e-5, "|Δloss| " + lossDiff);
    assertTrue(logitDiff <= 1e-5, "max |Δlogit| " + logitDiff);
    assertTrue(fp32LogitDiff > 1e-3, "float32 is not what autocast computes: " + fp32LogitDiff);
    // autocast's backward also rounds the element-wise ops' gradients (GELU, tanh, adds) to
    // bfloat16, which ours keep in float32: each rounding is up to 2^-9 relative, a few per path
    assertTrue(gradError <= 3e-2, "largest relative gradient error " + gradError);
  }

  private static Step step(
      BertConfig config, Map<String, TensorData> weights, TokenizedBatch batch, Precision p) {
    try (NDManager manager = NDManager.newBaseManager();
        BertClassifier model = BertClassifier.create(config, weights, manager);
        NDManager step = manager.newSubManager()) {
      model.requireGradients(name -> true);
      model.computeIn(p);
      NDArray logits;
      NDArray loss;
      try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
        logits = model.forward(ModelInputs.of(step, batch), DropoutMasks.NONE).logits();
        loss = Losses.crossEntropy(logits, ModelInputs.labels(step, batch));
        collector.backward(loss);
      }
      Map<String, float[]> gradients = new LinkedHashMap<>();
      model
          .trainableParameters()
          .forEach((n, a) -> gradients.put(n, a.getGradient().toFloatArray()));
      return new Step(loss.getFloat(), logits.toFloatArray(), gradients);
    }
  }

  /** The largest, over tensors, of |ours - theirs| / |theirs| (Euclidean norms). */
  private static double relativeError(Map<String, float[]> ours, Map<String, float[]> theirs) {
    double worst = 0;
    for (Map.Entry<String, float[]> e : theirs.entrySet()) {
      if (e.getKey().endsWith("attention.self.key.bias")) {
        // its true gradient is zero (softmax ignores a shift shared by a query's scores): both
        // sides hold rounding noise only, with no relative error to speak of
        continue;
      }
      float[] a = ours.get(e.getKey());
      float[] b = e.getValue();
      double diff = 0;
      double norm = 0;
      for (int i = 0; i < b.length; i++) {
        diff += (a[i] - b[i]) * (double) (a[i] - b[i]);
        norm += b[i] * (double) b[i];
      }
      if (norm > 0) {
        worst = Math.max(worst, Math.sqrt(diff / norm));
      }
    }
    return worst;
  }
}
