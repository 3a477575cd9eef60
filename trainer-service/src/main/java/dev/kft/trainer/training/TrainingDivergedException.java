package dev.kft.trainer.training;

/** Thrown when the training loss becomes NaN or infinite; says at which step. */
public class TrainingDivergedException extends RuntimeException {

  private final long step;

  public TrainingDivergedException(long step, double lastFiniteLoss) {
    super(
        "the loss became NaN or infinite at step "
            + step
            + " (last finite loss "
            + lastFiniteLoss
            + "); lower training.learning_rate or set training.max_grad_norm");
    this.step = step;
  }

  public long step() {
    return step;
  }
}
