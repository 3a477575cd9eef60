package dev.kft.job;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.List;

/**
 * The {@code dataset.augmentation} section: extra training examples made from the train split only.
 *
 * @param ratio new examples per train example, default 0.1
 * @param seed seed of every random choice, default the dataset seed
 * @param operations any of {@link #OPERATIONS}; default {@code random_swap} and {@code
 *     random_deletion}; {@code back_translation} needs a translation service
 * @param alpha fraction of a text's tokens each EDA operation changes, default 0.1
 * @param synonymsUri a synonym dictionary (one group of synonyms per line, or the Tongyici Cilin
 *     format) used instead of the lexicon shipped with kft, HanLP's extended Tongyici Cilin
 *     (Chinese)
 * @param segmentation {@code word} (HanLP's word segmenter), {@code char} (each CJK character a
 *     token, dictionary words kept whole), {@code whitespace}, or {@code auto} (default: words for
 *     CJK text, whitespace otherwise)
 * @param backTranslation the LibreTranslate server for {@code back_translation}
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonIgnoreProperties(ignoreUnknown = true)
public record AugmentationSpec(
    Double ratio,
    Long seed,
    List<String> operations,
    Double alpha,
    String synonymsUri,
    Segmentation segmentation,
    BackTranslationSpec backTranslation) {

  /** Every augmentation operation. */
  public static final List<String> OPERATIONS =
      List.of(
          "synonym_replacement",
          "random_insertion",
          "random_swap",
          "random_deletion",
          "back_translation");

  public static final Setting<Double> RATIO = Setting.number("ratio", 0.1, Range.above(0));
  public static final Setting<Long> SEED = Setting.integer("seed", null, 0);
  public static final Setting<Double> ALPHA =
      Setting.number("alpha", 0.1, Range.above(0).atMost(1));
  public static final Setting<Segmentation> SEGMENTATION =
      Setting.choice("segmentation", Segmentation.class, Segmentation.AUTO);

  /** Every declared setting of the section (lists and URIs have their own rules). */
  public static final List<Setting<?>> SETTINGS = List.of(RATIO, SEED, ALPHA, SEGMENTATION);

  public AugmentationSpec {
    ratio = RATIO.or(ratio);
    operations =
        operations != null ? List.copyOf(operations) : List.of("random_swap", "random_deletion");
    alpha = ALPHA.or(alpha);
    segmentation = SEGMENTATION.or(segmentation);
  }

  /**
   * A LibreTranslate server used to translate to a pivot language and back.
   *
   * @param endpoint the server's URL ({@code /translate} is added unless the URL ends with it)
   * @param sourceLanguage language of the data, default {@code zh}
   * @param pivotLanguage language translated through, default {@code en}
   * @param timeoutSeconds per request, default 30
   */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record BackTranslationSpec(
      String endpoint, String sourceLanguage, String pivotLanguage, Integer timeoutSeconds) {
    public static final Setting<Integer> TIMEOUT_SECONDS = Setting.count("timeout_seconds", 30, 1);

    /** Every declared setting of the section (endpoint and languages are free text). */
    public static final List<Setting<?>> SETTINGS = List.of(TIMEOUT_SECONDS);

    public BackTranslationSpec {
      sourceLanguage = sourceLanguage != null ? sourceLanguage : "zh";
      pivotLanguage = pivotLanguage != null ? pivotLanguage : "en";
      timeoutSeconds = TIMEOUT_SECONDS.or(timeoutSeconds);
    }
  }
}
