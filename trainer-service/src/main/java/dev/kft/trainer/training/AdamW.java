package dev.kft.trainer.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import dev.kft.job.TrainingSpec;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * AdamW as PyTorch's {@code torch.optim.AdamW} computes it, updating parameters in place: decoupled
 * weight decay ({@code p -= lr * wd * p}, skipped for the names in {@code noDecay}), then the Adam
 * step with bias correction. Parameters in CPU memory are updated by {@link FusedAdamW} in one pass
 * over memory; elsewhere op by op. State (first and second moments, step count) lives in its own
 * manager and can be saved and restored with a checkpoint.
 */
public final class AdamW implements AutoCloseable {

  private final double beta1;
  private final double beta2;
  private final double epsilon;
  private final double weightDecay;
  private final Set<String> noDecay;
  private final NDManager manager;
  private final boolean fuse;
  private final Map<String, NDArray> firstMoments = new LinkedHashMap<>();
  private final Map<String, NDArray> secondMoments = new LinkedHashMap<>();
  private long steps;

  public AdamW(
      NDManager parent,
      double beta1,
      double beta2,
      double epsilon,
      double weightDecay,
      Set<String> noDecay) {
    this(parent, beta1, beta2, epsilon, weightDecay, noDecay, true);
  }

  /** As above; {@code fuse} off forces the op-by-op update (used on GPUs) everywhere, for tests. */
  AdamW(
      NDManager parent,
      double beta1,
      double beta2,
      double epsilon,
      double weightDecay,
      Set<String> noDecay,
      boolean fuse) {
    this.manager = parent.newSubManager();
    this.fuse = fuse;
    this.beta1 = beta1;
    this.beta2 = beta2;
    this.epsilon = epsilon;
    this.weightDecay = weightDecay;
    this.noDecay = Set.copyOf(noDecay);
  }

  /**
   * AdamW with a job's betas, epsilon and weight decay, decaying every parameter in {@code names}
   * but biases and LayerNorm weights, as Hugging Face's {@code Trainer} groups them.
   */
  public static AdamW forTraining(NDManager parent, TrainingSpec spec, Set<String> names) {
    Set<String> noDecay = new HashSet<>();
    names.stream().filter(n -> !decays(n)).forEach(noDecay::add);
    return new AdamW(
        parent,
        spec.adamBeta1(),
        spec.adamBeta2(),
        spec.adamEpsilon(),
        spec.weightDecay(),
        noDecay);
  }

  /** Names Hugging Face excludes from weight decay: biases and LayerNorm weights. */
  public static boolean decays(String name) {
    return !name.endsWith(".bias") && !name.contains("LayerNorm");
  }

  /** Optimizer steps taken so far. */
  public long steps() {
    return steps;
  }

  /**
   * Takes one step over the trainable parameters with their current gradients multiplied by {@code
   * gradientScale} (clipping), at rate {@code lr}, and resets the gradients to zero for the next
   * update.
   */
  public void step(Map<String, NDArray> trainable, double lr, double gradientScale) {
    steps++;
    trainable.forEach(
        (name, p) -> {
          firstMoments.computeIfAbsent(name, k -> manager.zeros(p.getShape()));
          secondMoments.computeIfAbsent(name, k -> manager.zeros(p.getShape()));
        });
    FusedAdamW.Coefficients c = coefficients(lr, gradientScale);
    if (fuse && FusedAdamW.supports(trainable.values())) {
      fusedStep(trainable, c);
    } else {
      opByOpStep(trainable, c);
    }
  }

  /**
   * Resets the gradients and leaves parameters, moments and the step count as they are: an update
   * skipped because its gradients overflowed.
   */
  public void skip(Map<String, NDArray> trainable) {
    trainable.values().forEach(p -> JniUtils.zeroGrad((PtNDArray) p));
  }

  private FusedAdamW.Coefficients coefficients(double lr, double gradientScale) {
    double correction1 = 1 - Math.pow(beta1, steps);
    double correction2 = 1 - Math.pow(beta2, steps);
    return new FusedAdamW.Coefficients(
        (float) gradientScale,
        (float) (1 - lr * weightDecay),
        (float) beta1,
        (float) (1 - beta1),
        (float) beta2,
        (float) (1 - beta2),
        (float) Math.sqrt(correction2),
        (float) epsilon,
        (float) (lr / correction1));
  }

  private void fusedStep(Map<String, NDArray> trainable, FusedAdamW.Coefficients c) {
    List<FusedAdamW.Slot> slots = new ArrayList<>();
    try (NDManager scratch = manager.newSubManager()) {
      for (Map.Entry<String, NDArray> e : trainable.entrySet()) {
        String name = e.getKey();
        NDArray g = e.getValue().getGradient();
        scratch.attachAll(g);
        slots.add(
            new FusedAdamW.Slot(
                FusedAdamW.memory(e.getValue()),
                FusedAdamW.memory(g),
                FusedAdamW.memory(firstMoments.get(name)),
                FusedAdamW.memory(secondMoments.get(name)),
                !noDecay.contains(name)));
      }
      FusedAdamW.update(slots, c);
    }
  }

  /**
   * The same update op by op, for parameters outside CPU memory (a GPU); scalars are arrays of a
   * per-step manager, never {@code Number} overloads.
   */
  private void opByOpStep(Map<String, NDArray> trainable, FusedAdamW.Coefficients c) {
    try (NDManager scratch = manager.newSubManager()) {
      NDArray scale = scratch.create(c.gradientScale());
      NDArray b1 = scratch.create(c.beta1());
      NDArray oneMinusB1 = scratch.create(c.oneMinusBeta1());
      NDArray b2 = scratch.create(c.beta2());
      NDArray oneMinusB2 = scratch.create(c.oneMinusBeta2());
      NDArray decay = scratch.create(c.decay());
      NDArray sqrtCorrection2 = scratch.create(c.sqrtCorrection2());
      NDArray eps = scratch.create(c.epsilon());
      NDArray stepSize = scratch.create(c.stepSize());
      for (Map.Entry<String, NDArray> e : trainable.entrySet()) {
        NDArray p = e.getValue();
        NDArray g = p.getGradient();
        scratch.attachAll(g);
        NDArray m = firstMoments.get(e.getKey());
        NDArray v = secondMoments.get(e.getKey());
        if (c.gradientScale() != 1f) {
          g.muli(scale);
        }
        if (weightDecay != 0 && !noDecay.contains(e.getKey())) {
          p.muli(decay);
        }
        m.muli(b1).addi(g.mul(oneMinusB1));
        v.muli(b2).addi(g.square().muli(oneMinusB2));
        // Results of ops on state land in the state's manager; move them to the scratch one.
        NDArray denominator = v.sqrt();
        scratch.attachAll(denominator);
        denominator.divi(sqrtCorrection2).addi(eps);
        NDArray update = m.div(denominator);
        scratch.attachAll(update);
        p.subi(update.muli(stepSize));
        JniUtils.zeroGrad((PtNDArray) p);
      }
    }
  }

  /** The moments by parameter name, for checkpoints ({@code exp_avg} / {@code exp_avg_sq}). */
  public Map<String, NDArray> firstMoments() {
    return firstMoments;
  }

  public Map<String, NDArray> secondMoments() {
    return secondMoments;
  }

  /**
   * Restores state saved from {@link #firstMoments()}, {@link #secondMoments()}, {@link #steps()}.
   */
  public void restore(
      Map<String, float[]> first,
      Map<String, float[]> second,
      long stepCount,
      Map<String, NDArray> shapesFrom) {
    first.forEach(
        (name, values) ->
            firstMoments.put(name, manager.create(values, shapesFrom.get(name).getShape())));
    second.forEach(
        (name, values) ->
            secondMoments.put(name, manager.create(values, shapesFrom.get(name).getShape())));
    steps = stepCount;
  }

  @Override
  public void close() {
    manager.close();
  }
}
