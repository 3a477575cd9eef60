package dev.kft.trainer.training;

/**
 * Dynamic loss scaling for float16 training, with the rules and defaults of PyTorch's {@code
 * GradScaler}: the loss is multiplied by the scale before backward so that small gradients survive
 * float16; when any gradient comes out infinite or NaN the update is skipped and the scale halved,
 * and after 2,000 updates in a row without one the scale doubles. Jobs in float32 or bf16 use
 * {@link #none()}, which never scales or skips.
 */
public final class LossScaler {

  /** {@code GradScaler}'s {@code init_scale}. */
  public static final double INITIAL_SCALE = 65536.0;

  /** {@code GradScaler}'s {@code growth_factor}. */
  public static final double GROWTH_FACTOR = 2.0;

  /** {@code GradScaler}'s {@code backoff_factor}. */
  public static final double BACKOFF_FACTOR = 0.5;

  /** {@code GradScaler}'s {@code growth_interval}. */
  public static final int GROWTH_INTERVAL = 2000;

  private final boolean enabled;
  private double scale;
  private int growthTracker;
  private long skipped;

  private LossScaler(boolean enabled, double scale, int growthTracker, long skipped) {
    this.enabled = enabled;
    this.scale = scale;
    this.growthTracker = growthTracker;
    this.skipped = skipped;
  }

  /** A scaler that scales by 1 and never skips (float32 and bf16). */
  public static LossScaler none() {
    return new LossScaler(false, 1.0, 0, 0);
  }

  /** A fresh float16 scaler. */
  public static LossScaler dynamic() {
    return new LossScaler(true, INITIAL_SCALE, 0, 0);
  }

  /** A float16 scaler as a checkpoint left it. */
  public static LossScaler restored(State state) {
    return new LossScaler(true, state.scale(), state.growthTracker(), state.skippedSteps());
  }

  /**
   * A scaler's state, as checkpoints keep it.
   *
   * @param growthTracker updates in a row without an infinite gradient
   * @param skippedSteps updates skipped so far
   */
  public record State(double scale, int growthTracker, long skippedSteps) {}

  /** The state, or null when scaling is off. */
  public State state() {
    return enabled ? new State(scale, growthTracker, skipped) : null;
  }

  public boolean enabled() {
    return enabled;
  }

  /** What the loss is multiplied by before backward. */
  public double scale() {
    return scale;
  }

  /** Updates skipped because a gradient was infinite or NaN. */
  public long skippedSteps() {
    return skipped;
  }

  /**
   * Records an update whose scaled gradients' global norm was {@code scaledNorm}, and says whether
   * the update may be applied: not when the norm is infinite or NaN (then some gradient is), in
   * which case the scale is halved.
   */
  public boolean update(double scaledNorm) {
    if (!enabled) {
      return true;
    }
    if (!Double.isFinite(scaledNorm)) {
      scale *= BACKOFF_FACTOR;
      growthTracker = 0;
      skipped++;
      return false;
    }
    growthTracker++;
    if (growthTracker == GROWTH_INTERVAL) {
      scale *= GROWTH_FACTOR;
      growthTracker = 0;
    }
    return true;
  }
}
