package dev.kft.job;

import java.util.List;

/** The rules of the {@code dataset} section and its {@code augmentation}. */
final class DatasetRules {

  private static final List<String> SPLIT_KEYS = List.of("train", "validation", "test");

  private DatasetRules() {}

  static void check(SpecNode d) {
    if (d == null) {
      return;
    }
    d.allowOnly(SpecKeys.of(DatasetSpec.class));
    boolean single = d.has("uri");
    boolean separate = d.has("train_uri");
    for (String key : List.of("uri", "train_uri", "validation_uri", "test_uri")) {
      d.nonBlank(key);
    }
    if (!single && !separate) {
      d.problem("uri", "required: give uri (one file to split) or train_uri");
    }
    if (single) {
      for (String key : List.of("train_uri", "validation_uri", "test_uri")) {
        if (d.has(key)) {
          d.problem(key, "not allowed together with uri");
        }
      }
    }
    if (separate && d.has("split")) {
      d.problem("split", "only used with uri; separate files are not split");
    }
    d.oneOf("format", DatasetSpec.FORMATS);
    String delimiter = d.string("delimiter");
    if (delimiter != null && delimiter.length() != 1) {
      d.problem("delimiter", "must be one character, got '" + delimiter + "'");
    }
    d.nonBlank("encoding");
    d.nonBlank("text_column");
    d.nonBlank("label_column");
    d.nonBlank("text_pair_column");
    d.integer("seed", 0);
    d.strings("cleaning", DatasetSpec.CLEANING_STEPS);
    split(d.object("split"));
    augmentation(d.object("augmentation"));
  }

  private static void split(SpecNode split) {
    if (split == null) {
      return;
    }
    split.allowOnly(SPLIT_KEYS);
    Double train = split.number("train", "in (0, 1)", v -> v > 0 && v < 1);
    Double validation = split.number("validation", "in [0, 1)", v -> v >= 0 && v < 1);
    Double test = split.number("test", "in [0, 1)", v -> v >= 0 && v < 1);
    DatasetSpec.SplitSpec given = new DatasetSpec.SplitSpec(train, validation, test);
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

  private static void augmentation(SpecNode a) {
    if (a == null) {
      return;
    }
    a.allowOnly(SpecKeys.of(AugmentationSpec.class));
    a.number("ratio", "> 0", v -> v > 0);
    a.integer("seed", 0);
    List<String> operations = a.strings("operations", AugmentationSpec.OPERATIONS);
    if (a.raw("operations") != null && a.raw("operations").isEmpty()) {
      a.problem("operations", "must name at least one operation");
    }
    a.number("alpha", "in (0, 1]", v -> v > 0 && v <= 1);
    a.nonBlank("synonyms_uri");
    a.oneOf("segmentation", AugmentationSpec.SEGMENTATIONS);
    SpecNode bt = a.object("back_translation");
    if (bt != null) {
      bt.allowOnly(SpecKeys.of(AugmentationSpec.BackTranslationSpec.class));
      String endpoint = bt.nonBlank("endpoint");
      if (endpoint != null && !endpoint.matches("https?://.+")) {
        bt.problem("endpoint", "must be an http:// or https:// URL, got '" + endpoint + "'");
      }
      bt.nonBlank("source_language");
      bt.nonBlank("pivot_language");
      bt.integer("timeout_seconds", 1);
    }
    if (operations == null) {
      return;
    }
    for (String op : List.of("synonym_replacement", "random_insertion")) {
      if (operations.contains(op) && !a.has("synonyms_uri")) {
        a.problem("synonyms_uri", "required when operations include " + op);
        break;
      }
    }
    if (operations.contains("back_translation") && (bt == null || !bt.has("endpoint"))) {
      a.problem(
          bt == null ? "back_translation" : "back_translation.endpoint",
          "required when operations include back_translation");
    }
  }
}
