package dev.kft.registry.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kft.events.DatasetPrepared;
import dev.kft.events.ModelCandidate;
import dev.kft.json.Json;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** A card's base_model is the hub id transformers resolves: no scheme, no revision. */
@Tag("unit")
class CardMetadataTest {

  @Test
  void theBaseModelIsAHubIdOrNothing() {
    assertEquals(
        Optional.of("google-bert/bert-base-chinese"),
        CardMetadata.baseModel("hf://google-bert/bert-base-chinese@main"));
    assertEquals(
        Optional.of("bert-base-chinese"), CardMetadata.baseModel("hf://bert-base-chinese"));
    assertEquals(Optional.empty(), CardMetadata.baseModel("models/bert-base-chinese"));
    assertEquals(Optional.empty(), CardMetadata.baseModel("maven:org.example:bert:1.0"));
  }

  /** With separate files and a hub dataset tag, the card names the dataset as the hub does. */
  @Test
  void aDatasetTagBecomesTheCardsDataset() throws Exception {
    DatasetPrepared prepared =
        Cards.prepared(
            """
            model: {source: hf://google-bert/bert-base-chinese}
            dataset: {train_uri: reviews/train.csv, test_uri: reviews/test.csv}
            registry: {model_name: m, tags: {dataset: seamew/ChnSentiCorp, language: zh}}
            """);
    ModelCandidate candidate = Cards.candidate(List.of("neg", "pos"), null);
    String front = CardMetadata.frontMatter("m", candidate, prepared);
    JsonNode card = Json.yaml().readTree(front.substring(0, front.lastIndexOf("---")));
    assertEquals("seamew/ChnSentiCorp", card.path("datasets").path(0).asText());
    assertEquals("zh", card.path("language").path(0).asText());
    JsonNode result = card.path("model-index").path(0).path("results").path(0);
    assertEquals("seamew/ChnSentiCorp", result.path("dataset").path("type").asText());
    assertEquals(0.91, result.path("metrics").path(0).path("value").asDouble());
  }
}
