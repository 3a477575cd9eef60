package dev.kft.inference.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kft.checkpoint.BertConfig;
import dev.kft.checkpoint.BertInit;
import dev.kft.checkpoint.ModelExport;
import dev.kft.events.AliasSet;
import dev.kft.events.Event;
import dev.kft.events.ModelVersionRegistered;
import dev.kft.io.ConfinedPaths;
import dev.kft.text.Text;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Versions resolve through the registry's events and stay loaded within the byte budget. */
@Tag("unit")
class LoadedModelsTest {

  @TempDir Path root;

  private ModelCatalog.Version export(ModelCatalog catalog, String name, int version)
      throws Exception {
    Path family = Path.of("..", "models", "bert-base-chinese");
    BertConfig config =
        BertConfig.read(family.resolve("config.json"))
            .withOverrides(
                Map.of(
                    "num_hidden_layers", 1,
                    "hidden_size", 16,
                    "num_attention_heads", 2,
                    "intermediate_size", 32))
            .withLabels(List.of("a", "b"));
    Path dir = root.resolve(name).resolve(String.valueOf(version));
    ModelExport.write(config, BertInit.random(config, version), family, dir);
    catalog.apply(
        new ModelVersionRegistered(
            Event.newId(),
            "job",
            Instant.now(),
            name,
            version,
            dir.toUri().toString(),
            "sha",
            Files.size(dir.resolve("model.safetensors"))));
    return catalog.resolve(new ModelRef(name, null, version));
  }

  @Test
  void theLeastRecentlyUsedVersionMakesRoomAndIsLoadedAgainWhenAskedFor() throws Exception {
    ModelCatalog catalog = new ModelCatalog();
    ModelCatalog.Version one = export(catalog, "m", 1);
    ModelCatalog.Version two = export(catalog, "m", 2);
    List<Text> inputs = List.of(Text.of("好", null));
    try (LoadedModels models =
        new LoadedModels(new ConfinedPaths(List.of(root)), one.sizeBytes() + 1, 8)) {
      models.predict(one, inputs, 1);
      models.predict(one, inputs, 1);
      assertEquals(1, models.loads(), "the second prediction reuses the loaded version");
      models.predict(two, inputs, 1);
      assertEquals(1, models.size(), "one version fits the budget");
      models.predict(one, inputs, 1);
      assertEquals(3, models.loads(), "version 1 was unloaded for version 2 and loaded again");
    }
  }

  @Test
  void referencesResolveToTheNewestTheAliasedOrTheNumberedVersion() throws Exception {
    ModelCatalog catalog = new ModelCatalog();
    export(catalog, "m", 1);
    export(catalog, "m", 2);
    assertEquals(2, catalog.resolve(ModelRef.parse("m")).version());
    assertEquals(1, catalog.resolve(ModelRef.parse("m:1")).version());
    catalog.apply(new AliasSet(Event.newId(), "job", Instant.now(), "m", "prod", 1, null, "me"));
    assertEquals(1, catalog.resolve(ModelRef.parse("m@prod")).version());
    catalog.apply(new AliasSet(Event.newId(), "job", Instant.now(), "m", "prod", 2, 1, "me"));
    assertEquals(2, catalog.resolve(ModelRef.parse("m@prod")).version(), "the alias moved");
    assertThrows(UnknownModelException.class, () -> catalog.resolve(ModelRef.parse("m:3")));
    assertTrue(
        assertThrows(IllegalArgumentException.class, () -> ModelRef.parse("m:"))
            .getMessage()
            .startsWith("model: "));
  }

  @Test
  void aVersionOutsideTheRegistryRootIsRefused() throws Exception {
    ModelCatalog catalog = new ModelCatalog();
    ModelCatalog.Version v = export(catalog, "m", 1);
    try (LoadedModels models =
        new LoadedModels(new ConfinedPaths(List.of(root.resolve("elsewhere"))), 1 << 30, 8)) {
      assertThrows(RuntimeException.class, () -> models.predict(v, List.of(Text.of("好", null)), 1));
    }
  }
}
