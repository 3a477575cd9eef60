package dev.kft.dataprep.domain;

import dev.kft.job.AugmentationSpec;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;

/** Builds a job's {@link Augmenter}, reading its synonym dictionary through the data sources. */
public final class AugmentationInputs {

  private final DataSources sources;
  private final Optional<String> translationApiKey;

  /**
   * @param translationApiKey the LibreTranslate API key, if the server needs one
   */
  public AugmentationInputs(DataSources sources, Optional<String> translationApiKey) {
    this.sources = sources;
    this.translationApiKey = translationApiKey;
  }

  Augmenter augmenter(AugmentationSpec a) throws IOException {
    Synonyms synonyms = Synonyms.shipped();
    if (a.synonymsUri() != null) {
      try (BufferedReader in =
          new BufferedReader(
              new InputStreamReader(sources.open(a.synonymsUri()), StandardCharsets.UTF_8))) {
        synonyms = Synonyms.read(in, a.synonymsUri());
      }
    }
    BackTranslator translator = null;
    if (a.backTranslation() != null) {
      AugmentationSpec.BackTranslationSpec bt = a.backTranslation();
      translator =
          new BackTranslator(
              URI.create(bt.endpoint()),
              bt.sourceLanguage(),
              bt.pivotLanguage(),
              Duration.ofSeconds(bt.timeoutSeconds()),
              translationApiKey,
              sources.outbound());
    }
    return new Augmenter(a.operations(), a.alpha(), a.segmentation(), synonyms, translator);
  }
}
