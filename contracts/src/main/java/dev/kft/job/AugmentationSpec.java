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
 *     random_deletion}, which need nothing else ({@code random_insertion} and {@code
 *     synonym_replacement} need {@code synonyms_uri}, {@code back_translation} a service)
 * @param alpha fraction of a text's tokens each EDA operation changes, default 0.1
 * @param synonymsUri a synonym dictionary, one group of synonyms per line
 * @param segmentation {@code char} (each CJK character a token), {@code whitespace}, or {@code
 *     auto} (default: characters for CJK text, whitespace otherwise)
 * @param backTranslation the translation service for {@code back_translation}
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonIgnoreProperties(ignoreUnknown = true)
public record AugmentationSpec(
    Double ratio,
    Long seed,
    List<String> operations,
    Double alpha,
    String synonymsUri,
    String segmentation,
    BackTranslationSpec backTranslation) {

  /** Every augmentation operation. */
  public static final List<String> OPERATIONS =
      List.of(
          "synonym_replacement",
          "random_insertion",
          "random_swap",
          "random_deletion",
          "back_translation");

  /** Segmentation choices. */
  public static final List<String> SEGMENTATIONS = List.of("auto", "char", "whitespace");

  public AugmentationSpec {
    ratio = ratio != null ? ratio : 0.1;
    operations =
        operations != null ? List.copyOf(operations) : List.of("random_swap", "random_deletion");
    alpha = alpha != null ? alpha : 0.1;
    segmentation = segmentation != null ? segmentation : "auto";
  }

  /**
   * A translation service used to translate to a pivot language and back.
   *
   * @param endpoint the service's URL
   * @param sourceLanguage language of the data, default {@code zh}
   * @param pivotLanguage language translated through, default {@code en}
   * @param timeoutSeconds per request, default 30
   */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record BackTranslationSpec(
      String endpoint, String sourceLanguage, String pivotLanguage, Integer timeoutSeconds) {
    public BackTranslationSpec {
      sourceLanguage = sourceLanguage != null ? sourceLanguage : "zh";
      pivotLanguage = pivotLanguage != null ? pivotLanguage : "en";
      timeoutSeconds = timeoutSeconds != null ? timeoutSeconds : 30;
    }
  }
}
