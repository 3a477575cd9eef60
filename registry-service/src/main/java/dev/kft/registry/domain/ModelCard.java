package dev.kft.registry.domain;

import dev.kft.events.ConfusionMatrix;
import dev.kft.events.DatasetPrepared;
import dev.kft.events.ModelCandidate;
import dev.kft.job.JobSpec;
import dev.kft.job.TrainingSpec;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Writes the {@code README.md} model card of a registered version, as Hugging Face model
 * repositories carry one: the hub's metadata ({@link CardMetadata}), what the model is, its
 * metrics, confusion matrices, training settings and lineage back to the data.
 */
public final class ModelCard {

  private ModelCard() {}

  /**
   * The card's markdown.
   *
   * @param pictures the files of {@link VersionPictures} written beside it, shown where they belong
   */
  public static String render(
      String name,
      int version,
      ModelCandidate candidate,
      DatasetPrepared prepared,
      java.util.Set<String> pictures) {
    JobSpec spec = prepared.spec();
    TrainingSpec t = spec.training();
    StringBuilder md = new StringBuilder();
    md.append(CardMetadata.frontMatter(name, candidate, prepared)).append('\n');
    md.append("# ").append(name).append(" v").append(version).append("\n\n");
    if (spec.registry().description() != null) {
      md.append(spec.registry().description()).append("\n\n");
    }
    md.append("Text classifier fine-tuned by kft from `")
        .append(spec.model().source())
        .append("` (")
        .append(spec.model().init().id())
        .append(" initialisation), method `")
        .append(spec.method().type().id())
        .append("`. Labels: ")
        .append(String.join(", ", candidate.labelNames()))
        .append(".\n\n");
    usage(md, spec);
    metrics(md, "Validation metrics (step " + candidate.step() + ")", candidate.evalMetrics());
    metrics(md, "Test metrics", candidate.testMetrics());
    matrix(md, "Test confusion matrix", candidate.testConfusionMatrix());
    picture(md, pictures, VersionPictures.CONFUSION_MATRIX, "Test confusion matrix");
    if (pictures.contains(VersionPictures.LOSS) || pictures.contains(VersionPictures.EVALUATION)) {
      md.append("## Curves\n\n");
      picture(md, pictures, VersionPictures.LOSS, "Training and validation loss");
      picture(md, pictures, VersionPictures.EVALUATION, "Validation metrics");
      picture(md, pictures, VersionPictures.LEARNING_RATE, "Learning rate");
    }
    md.append("## Training\n\n| setting | value |\n| --- | --- |\n");
    row(md, "num_train_epochs", t.numTrainEpochs());
    row(md, "max_steps", t.maxSteps());
    row(md, "per_device_train_batch_size", t.perDeviceTrainBatchSize());
    row(md, "learning_rate", t.learningRate());
    row(md, "lr_scheduler_type", t.lrSchedulerType());
    row(md, "weight_decay", t.weightDecay());
    row(md, "seed", t.seed());
    row(md, "max_length", prepared.maxLength());
    row(md, "parameters", candidate.parameters());
    row(md, "training ended", candidate.finished());
    md.append("\n## Lineage\n\n| what | value |\n| --- | --- |\n");
    row(md, "job", candidate.jobId());
    row(md, "checkpoint", candidate.checkpointUri());
    row(md, "checkpoint sha256", candidate.checkpointSha256());
    row(md, "dataset", spec.dataset().uri());
    row(md, "dataset sha256 (normalised)", prepared.datasetSha256());
    row(md, "source files sha256", prepared.sourceSha256());
    row(md, "tokenizer sha256", prepared.tokenizerSha256());
    if (prepared.modelOrigin() != null) {
      prepared.modelOrigin().forEach((key, value) -> row(md, "base model " + key, value));
    }
    if (prepared.vocabulary() != null) {
      DatasetPrepared.Vocabulary v = prepared.vocabulary();
      row(
          md,
          "vocabulary",
          String.format(
              Locale.ROOT,
              "pruned to the %d of %d tokens the data uses (%d embedding parameters saved)",
              v.keptTokens(),
              v.sourceTokens(),
              v.parametersSaved()));
    }
    prepared
        .splits()
        .forEach(
            (split, r) ->
                row(
                    md,
                    split + " batches on kft.batches",
                    String.format(
                        Locale.ROOT,
                        "partition %d, offsets [%d, %d), %d rows",
                        r.offsets().partition(),
                        r.offsets().fromOffset(),
                        r.offsets().untilOffset(),
                        r.rows())));
    return md.toString();
  }

  /** How to load the version's files, which depend on the fine-tuning method. */
  private static void usage(StringBuilder md, JobSpec spec) {
    String plain = "`AutoModelForSequenceClassification.from_pretrained(DIR)`";
    String adapter = "`PeftModel.from_pretrained(base, \"DIR/adapter\")`";
    md.append("## Use\n\n");
    switch (spec.method().type()) {
      case LORA ->
          md.append(
                  "`model.safetensors` holds the LoRA updates merged into the base weights; load the"
                      + " directory with ")
              .append(plain)
              .append(". `adapter/` holds the adapter alone in PEFT's layout; apply it with ")
              .append(adapter)
              .append(" to the unmerged base `")
              .append(spec.model().source())
              .append("`, never to the merged weights.\n\n");
      case PROMPT_TUNING ->
          md.append("`model.safetensors` is the frozen base; load it with ")
              .append(plain)
              .append(" and apply the learned prompt and head in `adapter/` with ")
              .append(adapter)
              .append(".\n\n");
      case ADAPTER ->
          md.append(
              "`model.safetensors` is the frozen base; `adapter/` holds the bottleneck adapters"
                  + " and head (type `kft_bottleneck`, which kft loads; PEFT has no such type).\n\n");
      case FULL -> md.append("Load the directory with ").append(plain).append(".\n\n");
    }
  }

  private static void metrics(StringBuilder md, String title, Map<String, Double> metrics) {
    if (metrics.isEmpty()) {
      return;
    }
    md.append("## ").append(title).append("\n\n| metric | value |\n| --- | --- |\n");
    metrics.forEach(
        (k, v) -> md.append("| ").append(k).append(String.format(Locale.ROOT, " | %.4f |\n", v)));
    md.append('\n');
  }

  private static void matrix(StringBuilder md, String title, ConfusionMatrix m) {
    if (m == null) {
      return;
    }
    md.append("## ").append(title).append("\n\nRows are true labels, columns predicted.\n\n| |");
    m.labels().forEach(l -> md.append(' ').append(l).append(" |"));
    md.append("\n|---|").append("---|".repeat(m.labels().size())).append('\n');
    for (int i = 0; i < m.labels().size(); i++) {
      md.append("| **").append(m.labels().get(i)).append("** |");
      List<Long> row = m.counts().get(i);
      row.forEach(c -> md.append(' ').append(c).append(" |"));
      md.append('\n');
    }
    md.append('\n');
  }

  private static void picture(
      StringBuilder md, java.util.Set<String> pictures, String file, String alt) {
    if (pictures.contains(file)) {
      md.append("![").append(alt).append("](").append(file).append(")\n\n");
    }
  }

  private static void row(StringBuilder md, String key, Object value) {
    if (value != null) {
      md.append("| ").append(key).append(" | ").append(value).append(" |\n");
    }
  }
}
