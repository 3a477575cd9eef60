package dev.kft.events;

import java.util.Locale;

/** Trainable and total parameters of a model, as {@link TrainingStarted} reports them. */
public record ParameterCount(long trainable, long total) {

  /** Percentage of parameters that are trained. */
  public double trainablePercent() {
    return total == 0 ? 0 : 100.0 * trainable / total;
  }

  /** The report line in the words of PEFT's {@code print_trainable_parameters()}. */
  @Override
  public String toString() {
    return String.format(
        Locale.ROOT,
        "trainable params: %,d || all params: %,d || trainable%%: %.4f",
        trainable,
        total,
        trainablePercent());
  }
}
