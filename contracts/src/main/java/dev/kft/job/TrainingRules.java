package dev.kft.job;

/** The rules of the {@code training} section, including Hugging Face's cross-field checks. */
final class TrainingRules {

  private TrainingRules() {}

  static void check(SpecNode t) {
    if (t == null) {
      return;
    }
    t.allowOnly(SpecKeys.of(TrainingSpec.class));
    t.number("num_train_epochs", "> 0", v -> v > 0);
    t.integer("max_steps", -1);
    t.integer("per_device_train_batch_size", 1);
    t.integer("per_device_eval_batch_size", 1);
    t.number("learning_rate", "> 0", v -> v > 0);
    t.number("weight_decay", ">= 0", v -> v >= 0);
    t.number("adam_beta1", "in [0, 1)", v -> v >= 0 && v < 1);
    t.number("adam_beta2", "in [0, 1)", v -> v >= 0 && v < 1);
    t.number("adam_epsilon", "> 0", v -> v > 0);
    t.oneOf("lr_scheduler_type", TrainingSpec.SCHEDULERS);
    t.integer("warmup_steps", 0);
    t.number("warmup_ratio", "in [0, 1)", v -> v >= 0 && v < 1);
    t.integer("gradient_accumulation_steps", 1);
    t.number("max_grad_norm", ">= 0", v -> v >= 0);
    t.integer("seed", 0);
    t.integer("logging_steps", 1);
    String eval = t.oneOf("eval_strategy", TrainingSpec.STRATEGIES);
    Long evalSteps = t.integer("eval_steps", 1);
    String save = t.oneOf("save_strategy", TrainingSpec.STRATEGIES);
    Long saveSteps = t.integer("save_steps", 1);
    t.integer("save_total_limit", 1);
    Boolean loadBest = t.bool("load_best_model_at_end");
    String metric = t.string("metric_for_best_model");
    if (metric != null && !metric.matches("[A-Za-z_][A-Za-z0-9_]*")) {
      t.problem(
          "metric_for_best_model", "must be a metric name such as eval_f1, got '" + metric + "'");
    }
    t.bool("greater_is_better");
    t.integer("early_stopping_patience", 1);
    t.number("early_stopping_threshold", ">= 0", v -> v >= 0);
    t.bool("group_by_length");

    if ("steps".equals(eval) && !t.has("eval_steps")) {
      t.problem("eval_steps", "required when eval_strategy is steps");
    }
    if (t.has("early_stopping_patience")) {
      earlyStopping(t, eval);
    }
    if (Boolean.TRUE.equals(loadBest)) {
      loadBest(
          t,
          eval,
          save == null && !t.has("save_strategy") ? "steps" : save,
          evalSteps,
          saveSteps == null && !t.has("save_steps") ? Long.valueOf(500) : saveSteps);
    }
  }

  private static void earlyStopping(SpecNode t, String eval) {
    if (!t.has("metric_for_best_model")) {
      t.problem("metric_for_best_model", "required when early_stopping_patience is set");
    }
    if (!t.has("eval_strategy")) {
      t.problem("eval_strategy", "required (steps or epoch) when early_stopping_patience is set");
    } else if ("no".equals(eval)) {
      t.problem("eval_strategy", "must be steps or epoch when early_stopping_patience is set");
    }
  }

  private static void loadBest(
      SpecNode t, String eval, String save, Long evalSteps, Long saveSteps) {
    if (eval == null && !t.has("eval_strategy") || "no".equals(eval)) {
      t.problem("eval_strategy", "must be steps or epoch when load_best_model_at_end is true");
      return;
    }
    if (eval != null && save != null && !eval.equals(save)) {
      t.problem(
          "save_strategy",
          "must equal eval_strategy ('"
              + eval
              + "') when load_best_model_at_end is true, got '"
              + save
              + "'");
    } else if ("steps".equals(eval)
        && evalSteps != null
        && saveSteps != null
        && saveSteps % evalSteps != 0) {
      t.problem(
          "save_steps",
          "must be a multiple of eval_steps ("
              + evalSteps
              + ") when load_best_model_at_end is true, got "
              + saveSteps);
    }
  }
}
