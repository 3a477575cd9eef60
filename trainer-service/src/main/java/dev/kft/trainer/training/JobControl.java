package dev.kft.trainer.training;

import dev.kft.events.TrainingFinished.Reason;

/**
 * What the rest of kft says about a running job: whether to stop, and which checkpoints to keep.
 */
public interface JobControl {

  /** Why a stop was requested, or null to go on. */
  Reason stopRequested();

  /**
   * Whether the job was handed over to another trainer (its partition moved in a rebalance): it
   * checkpoints and stops without finishing, and the other trainer resumes it.
   */
  default boolean handedOver() {
    return false;
  }

  /**
   * Whether {@code save_total_limit} must spare the checkpoint at {@code step}: the best one so far
   * and any the evaluator has not evaluated yet.
   */
  boolean keep(long step);
}
