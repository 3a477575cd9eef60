package dev.kft.job;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.List;

/**
 * The {@code dataset} section: where the examples are, how to read, clean, split and augment them.
 *
 * @param uri one file split by {@code split} fractions; or give {@code train_uri} (with optional
 *     {@code validation_uri}, {@code test_uri}) instead
 * @param format {@code csv}, {@code tsv} or {@code jsonl}; by default from the file extension
 * @param delimiter CSV field delimiter, default {@code ,}
 * @param encoding character set of the files, default {@code UTF-8}
 * @param textColumn the column with the text, default {@code text}
 * @param labelColumn the column with the label, default {@code label}
 * @param textPairColumn an optional second text for sentence-pair tasks
 * @param seed seed of the stratified split, default 42
 * @param cleaning ordered cleaning steps (see {@link #CLEANING_STEPS}); default {@link
 *     #DEFAULT_CLEANING}
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonIgnoreProperties(ignoreUnknown = true)
public record DatasetSpec(
    String uri,
    String trainUri,
    String validationUri,
    String testUri,
    String format,
    String delimiter,
    String encoding,
    String textColumn,
    String labelColumn,
    String textPairColumn,
    SplitSpec split,
    Long seed,
    List<String> cleaning,
    AugmentationSpec augmentation) {

  /** Every cleaning step, in no particular order. */
  public static final List<String> CLEANING_STEPS =
      List.of(
          "nfkc",
          "fullwidth_to_halfwidth",
          "strip_html",
          "strip_urls",
          "clean_text",
          "lowercase",
          "collapse_whitespace",
          "drop_empty",
          "drop_duplicates");

  /** The cleaning a job gets when it names none. */
  public static final List<String> DEFAULT_CLEANING =
      List.of(
          "nfkc",
          "strip_html",
          "strip_urls",
          "collapse_whitespace",
          "drop_empty",
          "drop_duplicates");

  public static final Setting<Long> SEED = Setting.integer("seed", 42L, 0);

  /** Every declared setting of the section (names, columns and lists have their own rules). */
  public static final List<Setting<?>> SETTINGS = List.of(SEED);

  /** File formats that can be read. */
  public static final List<String> FORMATS = List.of("csv", "tsv", "jsonl");

  public DatasetSpec {
    delimiter = delimiter != null ? delimiter : ",";
    encoding = encoding != null ? encoding : "UTF-8";
    textColumn = textColumn != null ? textColumn : "text";
    labelColumn = labelColumn != null ? labelColumn : "label";
    split = split != null ? split : new SplitSpec(null, null, null);
    seed = SEED.or(seed);
    cleaning = cleaning != null ? List.copyOf(cleaning) : DEFAULT_CLEANING;
  }

  /**
   * Fractions of one file that go to each split; they must sum to 1.
   *
   * @param train default 0.8
   * @param validation default 0.1
   * @param test default 0.1
   */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record SplitSpec(Double train, Double validation, Double test) {

    public static final Setting<Double> TRAIN =
        Setting.number("train", 0.8, Range.above(0).below(1));
    public static final Setting<Double> VALIDATION =
        Setting.number("validation", 0.1, Range.atLeast(0).below(1));
    public static final Setting<Double> TEST =
        Setting.number("test", 0.1, Range.atLeast(0).below(1));

    /** Every setting of the section. */
    public static final List<Setting<?>> SETTINGS = List.of(TRAIN, VALIDATION, TEST);

    public SplitSpec {
      train = TRAIN.or(train);
      validation = VALIDATION.or(validation);
      test = TEST.or(test);
    }
  }
}
