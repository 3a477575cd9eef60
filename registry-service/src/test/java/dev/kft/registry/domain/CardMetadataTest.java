package dev.kft.registry.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
}
