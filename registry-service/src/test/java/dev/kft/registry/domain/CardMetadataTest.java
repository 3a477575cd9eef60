package dev.kft.registry.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kft.events.DatasetPrepared;
import dev.kft.events.Event;
import dev.kft.events.ModelCandidate;
import dev.kft.events.ParameterCount;
import dev.kft.events.TrainingFinished.Reason;
import dev.kft.job.JobSpecs;
import dev.kft.job.ValidatedSpec;
import dev.kft.json.Json;
import dev.kft.testing.TinyDatasets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
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
    ValidatedSpec checked =
        JobSpecs.validate(
            JobSpecs.parse(
                """
                model: {source: hf://google-bert/bert-base-chinese}
                dataset: {train_uri: reviews/train.csv, test_uri: reviews/test.csv}
                registry: {model_name: m, tags: {dataset: seamew/ChnSentiCorp, language: zh}}
                """));
    assertTrue(checked.valid(), checked.describeProblems());
    DatasetPrepared prepared = TinyDatasets.trainOnly("j", checked.spec(), 8, 0, 12);
    ModelCandidate candidate =
        new ModelCandidate(
            Event.newId(),
            "j",
            Instant.now(),
            20,
            "file:/c",
            "sha",
            false,
            new ParameterCount(1, 1),
            "d",
            List.of("neg", "pos"),
            Map.of("eval_f1", 0.9),
            null,
            null,
            Map.of("test_accuracy", 0.91),
            null,
            null,
            Reason.COMPLETED,
            null);
    String front = CardMetadata.frontMatter("m", candidate, prepared);
    JsonNode card = Json.yaml().readTree(front.substring(0, front.lastIndexOf("---")));
    assertEquals("seamew/ChnSentiCorp", card.path("datasets").path(0).asText());
    assertEquals("zh", card.path("language").path(0).asText());
    JsonNode result = card.path("model-index").path(0).path("results").path(0);
    assertEquals("seamew/ChnSentiCorp", result.path("dataset").path("type").asText());
    assertEquals(0.91, result.path("metrics").path(0).path("value").asDouble());
  }
}
