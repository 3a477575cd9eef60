package dev.kft.job;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.List;

/**
 * The {@code training} section, with Hugging Face {@code TrainingArguments}' names and defaults,
 * plus {@code EarlyStoppingCallback}'s patience and threshold.
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
 * @param lrSchedulerType {@code linear} (default), {@code cosine}, {@code constant}, {@code
 *     constant_with_warmup}
 * @param warmupSteps linear warmup steps, default 0; wins over {@code warmup_ratio}
 * @param warmupRatio fraction of all steps used for warmup, default 0.0
 * @param gradientAccumulationSteps micro-batches per optimizer step, default 1
 * @param maxGradNorm global gradient norm clip, default 1.0; 0 turns clipping off
 * @param seed seed of initialisation, shuffling and dropout, default 42
 * @param loggingSteps steps between progress reports, default 500
 * @param evalStrategy {@code no} (default), {@code steps} or {@code epoch}
 * @param evalSteps steps between evaluations; required with {@code eval_strategy: steps}
 * @param saveStrategy {@code no}, {@code steps} (default) or {@code epoch}
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
    String lrSchedulerType,
    Long warmupSteps,
    Double warmupRatio,
    Integer gradientAccumulationSteps,
    Double maxGradNorm,
    Long seed,
    Long loggingSteps,
    String evalStrategy,
    Long evalSteps,
    String saveStrategy,
    Long saveSteps,
    Integer saveTotalLimit,
    Boolean loadBestModelAtEnd,
    String metricForBestModel,
    Boolean greaterIsBetter,
    Integer earlyStoppingPatience,
    Double earlyStoppingThreshold,
    Boolean groupByLength) {

  /** Learning-rate schedules. */
  public static final List<String> SCHEDULERS =
      List.of("linear", "cosine", "constant", "constant_with_warmup");

  /** Evaluation and save strategies. */
  public static final List<String> STRATEGIES = List.of("no", "steps", "epoch");

  public TrainingSpec {
    numTrainEpochs = or(numTrainEpochs, 3.0);
    maxSteps = or(maxSteps, -1L);
    perDeviceTrainBatchSize = or(perDeviceTrainBatchSize, 8);
    perDeviceEvalBatchSize = or(perDeviceEvalBatchSize, 8);
    learningRate = or(learningRate, 5e-5);
    weightDecay = or(weightDecay, 0.0);
    adamBeta1 = or(adamBeta1, 0.9);
    adamBeta2 = or(adamBeta2, 0.999);
    adamEpsilon = or(adamEpsilon, 1e-8);
    lrSchedulerType = or(lrSchedulerType, "linear");
    warmupSteps = or(warmupSteps, 0L);
    warmupRatio = or(warmupRatio, 0.0);
    gradientAccumulationSteps = or(gradientAccumulationSteps, 1);
    maxGradNorm = or(maxGradNorm, 1.0);
    seed = or(seed, 42L);
    loggingSteps = or(loggingSteps, 500L);
    evalStrategy = or(evalStrategy, "no");
    saveStrategy = or(saveStrategy, "steps");
    saveSteps = or(saveSteps, 500L);
    loadBestModelAtEnd = or(loadBestModelAtEnd, false);
    if (metricForBestModel == null && loadBestModelAtEnd) {
      metricForBestModel = "loss";
    }
    if (greaterIsBetter == null && metricForBestModel != null) {
      greaterIsBetter = !metricForBestModel.endsWith("loss");
    }
    earlyStoppingThreshold = or(earlyStoppingThreshold, 0.0);
    groupByLength = or(groupByLength, false);
  }

  /** Hugging Face's defaults for every setting. */
  public static TrainingSpec defaults() {
    return new TrainingSpec(
        null, null, null, null, null, null, null, null, null, null, null, null, null, null, null,
        null, null, null, null, null, null, null, null, null, null, null, null);
  }

  /** Whether early stopping is on. */
  public boolean earlyStopping() {
    return earlyStoppingPatience != null;
  }

  private static <T> T or(T value, T fallback) {
    return value != null ? value : fallback;
  }
}
