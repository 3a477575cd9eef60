package dev.kft.job;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.List;

/**
 * The {@code training} section, with Hugging Face {@code TrainingArguments}' names and defaults,
 * plus {@code EarlyStoppingCallback}'s patience and threshold. Each setting's default and accepted
 * values are declared once, in the {@link Setting} constants below; the defaults in these docs
 * repeat them for readers.
 *
 * @param numTrainEpochs passes over the train split, default 3.0
 * @param maxSteps optimizer steps; when &gt; 0 it overrides epochs, default -1
 * @param perDeviceTrainBatchSize examples per training micro-batch, default 8
 * @param perDeviceEvalBatchSize examples per evaluation batch, default 8
 * @param learningRate peak learning rate of AdamW, default 5e-5
 * @param weightDecay decoupled weight decay (not on biases and LayerNorm weights), default 0.0
 * @param adamBeta1 default 0.9
 * @param adamBeta2 default 0.999
 * @param adamEpsilon default 1e-8
 * @param lrSchedulerType the schedule after warmup, default {@code linear}
 * @param warmupSteps linear warmup steps, default 0; wins over {@code warmup_ratio}
 * @param warmupRatio fraction of all steps used for warmup, default 0.0
 * @param gradientAccumulationSteps micro-batches per optimizer step, default 1
 * @param maxGradNorm global gradient norm clip, default 1.0; 0 turns clipping off
 * @param seed seed of initialisation, shuffling and dropout, default 42
 * @param loggingSteps steps between progress reports, default 500
 * @param evalStrategy when to evaluate, default {@code no}
 * @param evalSteps steps between evaluations; required with {@code eval_strategy: steps}
 * @param saveStrategy when to save, default {@code steps}
 * @param saveSteps steps between checkpoints, default 500
 * @param saveTotalLimit checkpoints kept (the best is always kept); by default all
 * @param loadBestModelAtEnd register the best checkpoint instead of the last, default false
 * @param metricForBestModel metric that ranks checkpoints, with or without {@code eval_}; by
 *     default {@code loss} when {@code load_best_model_at_end} is set
 * @param greaterIsBetter by default false only for metrics whose name ends in {@code loss}
 * @param earlyStoppingPatience evaluations without improvement before stopping; none disables
 * @param earlyStoppingThreshold improvement needed to count as one, default 0.0
 * @param groupByLength batches of examples of similar length (less padding, so faster with {@code
 *     padding: longest}), default false; for training as Hugging Face's, within mega-batches of 50
 *     batches of the shuffled train split; evaluation splits the same way (one sorted mega-batch as
 *     a rule)
 * @param bf16 mixed precision with bfloat16: matrix products in bfloat16, master weights, optimizer
 *     state and checkpoints float32, default false
 * @param fp16 mixed precision with float16 products and dynamic loss scaling, as Hugging Face's; on
 *     a GPU only (refused on a CPU, as in transformers), default false
 * @param saveDtype the element type of the registered export's weights ({@code torch_dtype} of its
 *     {@code config.json}): {@code float32}, {@code bfloat16} (half the bytes, float32's range) or
 *     {@code float16}; checkpoints stay float32, default {@code float32}
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonIgnoreProperties(ignoreUnknown = true)
public record TrainingSpec(
    Double numTrainEpochs,
    Long maxSteps,
    Integer perDeviceTrainBatchSize,
    Integer perDeviceEvalBatchSize,
    Double learningRate,
    Double weightDecay,
    Double adamBeta1,
    Double adamBeta2,
    Double adamEpsilon,
    SchedulerType lrSchedulerType,
    Long warmupSteps,
    Double warmupRatio,
    Integer gradientAccumulationSteps,
    Double maxGradNorm,
    Long seed,
    Long loggingSteps,
    IntervalStrategy evalStrategy,
    Long evalSteps,
    IntervalStrategy saveStrategy,
    Long saveSteps,
    Integer saveTotalLimit,
    Boolean loadBestModelAtEnd,
    String metricForBestModel,
    Boolean greaterIsBetter,
    Integer earlyStoppingPatience,
    Double earlyStoppingThreshold,
    Boolean groupByLength,
    Boolean bf16,
    Boolean fp16,
    SaveDtype saveDtype) {

  public static final Setting<Double> NUM_TRAIN_EPOCHS =
      Setting.number("num_train_epochs", 3.0, Range.above(0));
  public static final Setting<Long> MAX_STEPS = Setting.integer("max_steps", -1L, -1);
  public static final Setting<Integer> PER_DEVICE_TRAIN_BATCH_SIZE =
      Setting.count("per_device_train_batch_size", 8, 1);
  public static final Setting<Integer> PER_DEVICE_EVAL_BATCH_SIZE =
      Setting.count("per_device_eval_batch_size", 8, 1);
  public static final Setting<Double> LEARNING_RATE =
      Setting.number("learning_rate", 5e-5, Range.above(0));
  public static final Setting<Double> WEIGHT_DECAY =
      Setting.number("weight_decay", 0.0, Range.atLeast(0));
  public static final Setting<Double> ADAM_BETA1 =
      Setting.number("adam_beta1", 0.9, Range.atLeast(0).below(1));
  public static final Setting<Double> ADAM_BETA2 =
      Setting.number("adam_beta2", 0.999, Range.atLeast(0).below(1));
  public static final Setting<Double> ADAM_EPSILON =
      Setting.number("adam_epsilon", 1e-8, Range.above(0));
  public static final Setting<SchedulerType> LR_SCHEDULER_TYPE =
      Setting.choice("lr_scheduler_type", SchedulerType.class, SchedulerType.LINEAR);
  public static final Setting<Long> WARMUP_STEPS = Setting.integer("warmup_steps", 0L, 0);
  public static final Setting<Double> WARMUP_RATIO =
      Setting.number("warmup_ratio", 0.0, Range.atLeast(0).below(1));
  public static final Setting<Integer> GRADIENT_ACCUMULATION_STEPS =
      Setting.count("gradient_accumulation_steps", 1, 1);
  public static final Setting<Double> MAX_GRAD_NORM =
      Setting.number("max_grad_norm", 1.0, Range.atLeast(0));
  public static final Setting<Long> SEED = Setting.integer("seed", 42L, 0);
  public static final Setting<Long> LOGGING_STEPS = Setting.integer("logging_steps", 500L, 1);
  public static final Setting<IntervalStrategy> EVAL_STRATEGY =
      Setting.choice("eval_strategy", IntervalStrategy.class, IntervalStrategy.NO);
  public static final Setting<Long> EVAL_STEPS = Setting.integer("eval_steps", null, 1);
  public static final Setting<IntervalStrategy> SAVE_STRATEGY =
      Setting.choice("save_strategy", IntervalStrategy.class, IntervalStrategy.STEPS);
  public static final Setting<Long> SAVE_STEPS = Setting.integer("save_steps", 500L, 1);
  public static final Setting<Integer> SAVE_TOTAL_LIMIT =
      Setting.count("save_total_limit", null, 1);
  public static final Setting<Boolean> LOAD_BEST_MODEL_AT_END =
      Setting.flag("load_best_model_at_end", false);
  public static final Setting<Boolean> GREATER_IS_BETTER = Setting.flag("greater_is_better", null);
  public static final Setting<Integer> EARLY_STOPPING_PATIENCE =
      Setting.count("early_stopping_patience", null, 1);
  public static final Setting<Double> EARLY_STOPPING_THRESHOLD =
      Setting.number("early_stopping_threshold", 0.0, Range.atLeast(0));
  public static final Setting<Boolean> GROUP_BY_LENGTH = Setting.flag("group_by_length", false);
  public static final Setting<Boolean> BF16 = Setting.flag("bf16", false);
  public static final Setting<Boolean> FP16 = Setting.flag("fp16", false);
  public static final Setting<SaveDtype> SAVE_DTYPE =
      Setting.choice("save_dtype", SaveDtype.class, SaveDtype.FLOAT32);

  /** Every declared setting of the section ({@code metric_for_best_model} is a free name). */
  public static final List<Setting<?>> SETTINGS =
      List.of(
          NUM_TRAIN_EPOCHS,
          MAX_STEPS,
          PER_DEVICE_TRAIN_BATCH_SIZE,
          PER_DEVICE_EVAL_BATCH_SIZE,
          LEARNING_RATE,
          WEIGHT_DECAY,
          ADAM_BETA1,
          ADAM_BETA2,
          ADAM_EPSILON,
          LR_SCHEDULER_TYPE,
          WARMUP_STEPS,
          WARMUP_RATIO,
          GRADIENT_ACCUMULATION_STEPS,
          MAX_GRAD_NORM,
          SEED,
          LOGGING_STEPS,
          EVAL_STRATEGY,
          EVAL_STEPS,
          SAVE_STRATEGY,
          SAVE_STEPS,
          SAVE_TOTAL_LIMIT,
          LOAD_BEST_MODEL_AT_END,
          GREATER_IS_BETTER,
          EARLY_STOPPING_PATIENCE,
          EARLY_STOPPING_THRESHOLD,
          GROUP_BY_LENGTH,
          BF16,
          FP16,
          SAVE_DTYPE);

  public TrainingSpec {
    numTrainEpochs = NUM_TRAIN_EPOCHS.or(numTrainEpochs);
    maxSteps = MAX_STEPS.or(maxSteps);
    perDeviceTrainBatchSize = PER_DEVICE_TRAIN_BATCH_SIZE.or(perDeviceTrainBatchSize);
    perDeviceEvalBatchSize = PER_DEVICE_EVAL_BATCH_SIZE.or(perDeviceEvalBatchSize);
    learningRate = LEARNING_RATE.or(learningRate);
    weightDecay = WEIGHT_DECAY.or(weightDecay);
    adamBeta1 = ADAM_BETA1.or(adamBeta1);
    adamBeta2 = ADAM_BETA2.or(adamBeta2);
    adamEpsilon = ADAM_EPSILON.or(adamEpsilon);
    lrSchedulerType = LR_SCHEDULER_TYPE.or(lrSchedulerType);
    warmupSteps = WARMUP_STEPS.or(warmupSteps);
    warmupRatio = WARMUP_RATIO.or(warmupRatio);
    gradientAccumulationSteps = GRADIENT_ACCUMULATION_STEPS.or(gradientAccumulationSteps);
    maxGradNorm = MAX_GRAD_NORM.or(maxGradNorm);
    seed = SEED.or(seed);
    loggingSteps = LOGGING_STEPS.or(loggingSteps);
    evalStrategy = EVAL_STRATEGY.or(evalStrategy);
    saveStrategy = SAVE_STRATEGY.or(saveStrategy);
    saveSteps = SAVE_STEPS.or(saveSteps);
    loadBestModelAtEnd = LOAD_BEST_MODEL_AT_END.or(loadBestModelAtEnd);
    if (metricForBestModel == null && loadBestModelAtEnd) {
      metricForBestModel = "loss";
    }
    if (greaterIsBetter == null && metricForBestModel != null) {
      greaterIsBetter = greaterIsBetterFor(metricForBestModel);
    }
    earlyStoppingThreshold = EARLY_STOPPING_THRESHOLD.or(earlyStoppingThreshold);
    groupByLength = GROUP_BY_LENGTH.or(groupByLength);
    bf16 = BF16.or(bf16);
    fp16 = FP16.or(fp16);
    saveDtype = SAVE_DTYPE.or(saveDtype);
  }

  /**
   * Hugging Face's default of {@code greater_is_better}: false only for metrics whose name ends in
   * {@code loss}.
   */
  public static boolean greaterIsBetterFor(String metric) {
    return !metric.endsWith("loss");
  }

  /** Hugging Face's defaults for every setting. */
  public static TrainingSpec defaults() {
    return new TrainingSpec(
        null, null, null, null, null, null, null, null, null, null, null, null, null, null, null,
        null, null, null, null, null, null, null, null, null, null, null, null, null, null, null);
  }

  /** Whether early stopping is on. */
  public boolean earlyStopping() {
    return earlyStoppingPatience != null;
  }
}
