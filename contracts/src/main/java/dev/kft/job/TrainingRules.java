package dev.kft.job;

/** The rules of the {@code training} section, including Hugging Face's cross-field checks. */
final class TrainingRules {

  private TrainingRules() {}

  /** Checks the section; returns its settings' values, or null when there is no section. */
  static Setting.Values check(SpecNode training) {
    if (training == null) {
      return null;
    }
    training.allowOnly(SpecKeys.of(TrainingSpec.class));
    Setting.Values values = Setting.readAll(training, TrainingSpec.SETTINGS);
    IntervalStrategy eval = values.get(TrainingSpec.EVAL_STRATEGY);
    IntervalStrategy save = values.get(TrainingSpec.SAVE_STRATEGY);
    Long evalSteps = values.get(TrainingSpec.EVAL_STEPS);
    Long saveSteps = values.get(TrainingSpec.SAVE_STEPS);
    Boolean loadBest = values.get(TrainingSpec.LOAD_BEST_MODEL_AT_END);
    String metric = training.string("metric_for_best_model");
    if (metric != null && !metric.matches("[A-Za-z_][A-Za-z0-9_]*")) {
      training.problem(
          "metric_for_best_model", "must be a metric name such as eval_f1, got '" + metric + "'");
    }

    if (Boolean.TRUE.equals(values.get(TrainingSpec.BF16))
        && Boolean.TRUE.equals(values.get(TrainingSpec.FP16))) {
      training.problem("fp16", "bf16 and fp16 cannot both be true; choose one precision");
    }
    if (eval == IntervalStrategy.STEPS && !training.has("eval_steps")) {
      training.problem("eval_steps", "required when eval_strategy is steps");
    }
    if (training.has("early_stopping_patience")) {
      earlyStopping(training, eval);
    }
    if (Boolean.TRUE.equals(loadBest)) {
      loadBest(
          training,
          eval,
          save == null && !training.has("save_strategy")
              ? TrainingSpec.SAVE_STRATEGY.byDefault()
              : save,
          evalSteps,
          saveSteps == null && !training.has("save_steps")
              ? TrainingSpec.SAVE_STEPS.byDefault()
              : saveSteps);
    }
    return values;
  }

  private static void earlyStopping(SpecNode training, IntervalStrategy eval) {
    // as in transformers, load_best_model_at_end without a metric ranks checkpoints by loss
    boolean loadBest =
        training.raw("load_best_model_at_end") != null
            && training.raw("load_best_model_at_end").asBoolean(false);
    if (!training.has("metric_for_best_model") && !loadBest) {
      training.problem(
          "metric_for_best_model",
          "required when early_stopping_patience is set (load_best_model_at_end: true makes it"
              + " loss)");
    }
    if (!training.has("eval_strategy")) {
      training.problem(
          "eval_strategy", "required (steps or epoch) when early_stopping_patience is set");
    } else if (eval == IntervalStrategy.NO) {
      training.problem(
          "eval_strategy", "must be steps or epoch when early_stopping_patience is set");
    }
  }

  private static void loadBest(
      SpecNode training,
      IntervalStrategy eval,
      IntervalStrategy save,
      Long evalSteps,
      Long saveSteps) {
    if (eval == null && !training.has("eval_strategy") || eval == IntervalStrategy.NO) {
      training.problem(
          "eval_strategy", "must be steps or epoch when load_best_model_at_end is true");
      return;
    }
    if (eval != null && save != null && !eval.equals(save)) {
      training.problem(
          "save_strategy",
          "must equal eval_strategy ('"
              + eval.id()
              + "') when load_best_model_at_end is true, got '"
              + save.id()
              + "'");
    } else if (eval == IntervalStrategy.STEPS
        && evalSteps != null
        && saveSteps != null
        && saveSteps % evalSteps != 0) {
      training.problem(
          "save_steps",
          "must be a multiple of eval_steps ("
              + evalSteps
              + ") when load_best_model_at_end is true, got "
              + saveSteps);
    }
  }
}
