package dev.kft.job;

import java.util.List;

/** The rules of the {@code dataset} section and its {@code augmentation}. */
final class DatasetRules {

  private static final List<String> SPLIT_KEYS = List.of("train", "validation", "test");

  private DatasetRules() {}

  static void check(SpecNode dataset) {
    if (dataset == null) {
      return;
    }
    dataset.allowOnly(SpecKeys.of(DatasetSpec.class));
    boolean single = dataset.has("uri");
    boolean separate = dataset.has("train_uri");
    for (String key : List.of("uri", "train_uri", "validation_uri", "test_uri")) {
      dataset.nonBlank(key);
    }
    if (!single && !separate) {
      dataset.problem("uri", "required: give uri (one file to split) or train_uri");
    }
    if (single) {
      for (String key : List.of("train_uri", "validation_uri", "test_uri")) {
        if (dataset.has(key)) {
          dataset.problem(key, "not allowed together with uri");
        }
      }
    }
    if (separate && dataset.has("split")) {
      dataset.problem("split", "only used with uri; separate files are not split");
    }
    dataset.oneOf("format", DatasetSpec.FORMATS);
    String delimiter = dataset.string("delimiter");
    if (delimiter != null && delimiter.length() != 1) {
      dataset.problem("delimiter", "must be one character, got '" + delimiter + "'");
    }
    dataset.nonBlank("encoding");
    dataset.nonBlank("text_column");
    dataset.nonBlank("label_column");
    dataset.nonBlank("text_pair_column");
    Setting.readAll(dataset, DatasetSpec.SETTINGS);
    dataset.strings("cleaning", DatasetSpec.CLEANING_STEPS);
    split(dataset.object("split"));
    augmentation(dataset.object("augmentation"));
  }

  private static void split(SpecNode split) {
    if (split == null) {
      return;
    }
    split.allowOnly(SPLIT_KEYS);
    Setting.Values values = Setting.readAll(split, DatasetSpec.SplitSpec.SETTINGS);
    DatasetSpec.SplitSpec given =
        new DatasetSpec.SplitSpec(
            values.get(DatasetSpec.SplitSpec.TRAIN),
            values.get(DatasetSpec.SplitSpec.VALIDATION),
            values.get(DatasetSpec.SplitSpec.TEST));
    if (!split.hasProblems()) {
      double sum = given.train() + given.validation() + given.test();
      if (Math.abs(sum - 1) > 1e-6) {
        split.problem(
            null,
            "train + validation + test must be 1 (unset ones count 0.8, 0.1, 0.1), got "
                + new java.math.BigDecimal(sum)
                    .round(new java.math.MathContext(6))
                    .stripTrailingZeros()
                    .toPlainString());
      }
    }
  }

  private static void augmentation(SpecNode augmentation) {
    if (augmentation == null) {
      return;
    }
    augmentation.allowOnly(SpecKeys.of(AugmentationSpec.class));
    Setting.readAll(augmentation, AugmentationSpec.SETTINGS);
    List<String> operations = augmentation.strings("operations", AugmentationSpec.OPERATIONS);
    if (augmentation.raw("operations") != null && augmentation.raw("operations").isEmpty()) {
      augmentation.problem("operations", "must name at least one operation");
    }
    augmentation.nonBlank("synonyms_uri");
    SpecNode bt = augmentation.object("back_translation");
    if (bt != null) {
      bt.allowOnly(SpecKeys.of(AugmentationSpec.BackTranslationSpec.class));
      String endpoint = bt.nonBlank("endpoint");
      if (endpoint != null && !endpoint.matches("https?://.+")) {
        bt.problem("endpoint", "must be an http:// or https:// URL, got '" + endpoint + "'");
      }
      bt.nonBlank("source_language");
      bt.nonBlank("pivot_language");
      Setting.readAll(bt, AugmentationSpec.BackTranslationSpec.SETTINGS);
    }
    if (operations == null) {
      return;
    }
    if (operations.contains("back_translation") && (bt == null || !bt.has("endpoint"))) {
      augmentation.problem(
          bt == null ? "back_translation" : "back_translation.endpoint",
          "required when operations include back_translation");
    }
  }
}
