package dev.kft.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kft.json.Json;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The job spec's declarations and the published JSON Schema agree field by field: every section has
 * the schema's keys, and every declared {@link Setting} has the schema's type, bounds, {@code enum}
 * and {@code default}. The records take their defaults from the same declarations, which {@link
 * #recordsTakeTheirDefaultsFromTheDeclarations} checks.
 */
@Tag("unit")
class SchemaDeclarationsTest {

  private static final Path SCHEMA = Path.of("..", "docs", "job-spec.schema.json");

  /** Each section: its path in a spec, its record and its declared settings. */
  private record Section(String path, Class<? extends Record> record, List<Setting<?>> settings) {}

  private static final List<Section> SECTIONS =
      List.of(
          new Section("model", ModelSpec.class, ModelSpec.SETTINGS),
          new Section("dataset", DatasetSpec.class, DatasetSpec.SETTINGS),
          new Section("dataset.split", DatasetSpec.SplitSpec.class, DatasetSpec.SplitSpec.SETTINGS),
          new Section("dataset.augmentation", AugmentationSpec.class, AugmentationSpec.SETTINGS),
          new Section(
              "dataset.augmentation.back_translation",
              AugmentationSpec.BackTranslationSpec.class,
              AugmentationSpec.BackTranslationSpec.SETTINGS),
          new Section("method", MethodSpec.class, MethodSpec.SETTINGS),
          new Section("method.lora", LoraSpec.class, LoraSpec.SETTINGS),
          new Section("method.adapter", AdapterSpec.class, AdapterSpec.SETTINGS),
          new Section("method.prompt_tuning", PromptTuningSpec.class, PromptTuningSpec.SETTINGS),
          new Section("training", TrainingSpec.class, TrainingSpec.SETTINGS),
          new Section("registry", RegistrySpec.class, List.of()));

  private final JsonNode schema = read();

  @TestFactory
  Stream<DynamicTest> everySectionHasTheSchemasKeys() {
    return SECTIONS.stream()
        .map(
            s ->
                DynamicTest.dynamicTest(
                    s.path(),
                    () -> {
                      List<String> schemaKeys = new ArrayList<>();
                      properties(s.path()).fieldNames().forEachRemaining(schemaKeys::add);
                      List<String> keys = new ArrayList<>(SpecKeys.of(s.record()));
                      if (s.record() == TrainingSpec.class) {
                        // Hugging Face names the validator reads differently, with a warning
                        keys.addAll(TrainingArgumentNames.ALIASES.keySet());
                        keys.addAll(TrainingArgumentNames.WITHOUT_EFFECT.keySet());
                      }
                      if (List.of(LoraSpec.class, AdapterSpec.class, PromptTuningSpec.class)
                          .contains(s.record())) {
                        // PEFT config names the validator checks or sets aside
                        keys.addAll(List.of("task_type", "inference_mode"));
                        keys.addAll(PeftConfigNames.WITHOUT_EFFECT.keySet());
                      }
                      assertEquals(
                          schemaKeys.stream().sorted().toList(), keys.stream().sorted().toList());
                    }));
  }

  @TestFactory
  Stream<DynamicTest> everyDeclaredSettingAgreesWithTheSchema() {
    List<DynamicTest> tests = new ArrayList<>();
    for (Section section : SECTIONS) {
      for (Setting<?> setting : section.settings()) {
        String path = section.path() + "." + setting.key();
        tests.add(DynamicTest.dynamicTest(path, () -> agree(path, setting)));
      }
    }
    assertTrue(tests.size() >= 40, "expected the scalar settings of every section");
    return tests.stream();
  }

  @Test
  void recordsTakeTheirDefaultsFromTheDeclarations() throws IOException {
    JobSpec spec =
        Json.yaml()
            .readValue(
                "model: {source: m}\n"
                    + "dataset: {uri: d, augmentation: {back_translation: {endpoint: e}}}\n"
                    + "method: {lora: {}}\n"
                    + "training: {}\n"
                    + "registry: {model_name: n}\n",
                JobSpec.class);
    Map<Setting<?>, Object> values = new LinkedHashMap<>();
    values.put(TrainingSpec.LEARNING_RATE, spec.training().learningRate());
    values.put(TrainingSpec.LR_SCHEDULER_TYPE, spec.training().lrSchedulerType());
    values.put(TrainingSpec.SAVE_STRATEGY, spec.training().saveStrategy());
    values.put(TrainingSpec.SEED, spec.training().seed());
    values.put(ModelSpec.MAX_LENGTH, spec.model().maxLength());
    values.put(ModelSpec.PADDING, spec.model().padding());
    values.put(MethodSpec.TYPE, spec.method().type());
    values.put(DatasetSpec.SplitSpec.TRAIN, spec.dataset().split().train());
    values.put(AugmentationSpec.ALPHA, spec.dataset().augmentation().alpha());
    values.put(
        AugmentationSpec.BackTranslationSpec.TIMEOUT_SECONDS,
        spec.dataset().augmentation().backTranslation().timeoutSeconds());
    values.forEach((setting, value) -> assertEquals(setting.byDefault(), value, setting.key()));
  }

  private void agree(String path, Setting<?> setting) {
    JsonNode property = properties(parent(path)).get(setting.key());
    assertNotNull(property, path + " is not in the schema");
    String type =
        switch (setting.kind()) {
          case NUMBER -> "number";
          case INTEGER -> "integer";
          case BOOLEAN -> "boolean";
          case CHOICE -> "string";
        };
    assertEquals(type, property.path("type").asText(), path + " type");
    Range range = setting.range();
    bound(path, property, range.min(), range.minInclusive(), "minimum", "exclusiveMinimum");
    bound(path, property, range.max(), range.maxInclusive(), "maximum", "exclusiveMaximum");
    List<String> choices = new ArrayList<>();
    property.path("enum").forEach(c -> choices.add(c.asText()));
    assertEquals(setting.choices(), choices, path + " enum");
    Object byDefault = setting.byDefault();
    JsonNode schemaDefault = property.get("default");
    if (byDefault == null) {
      assertFalse(property.has("default"), path + " has a default in the schema only");
    } else {
      assertNotNull(schemaDefault, path + " default " + byDefault + " is missing in the schema");
      assertEquals(json(byDefault), schemaDefault.toString(), path + " default");
    }
  }

  private static void bound(
      String path,
      JsonNode property,
      Double value,
      boolean inclusive,
      String inclusiveKey,
      String exclusiveKey) {
    String key = inclusive ? inclusiveKey : exclusiveKey;
    String other = inclusive ? exclusiveKey : inclusiveKey;
    if (value == null) {
      assertFalse(property.has(inclusiveKey) || property.has(exclusiveKey), path + " bound");
      return;
    }
    assertTrue(property.has(key), path + " lacks " + key + " " + value);
    assertEquals(value, property.get(key).doubleValue(), 0.0, path + " " + key);
    assertFalse(property.has(other), path + " has " + other);
  }

  private static String json(Object value) {
    Object plain = value instanceof SpecValue v ? v.id() : value;
    try {
      return Json.mapper().readTree(Json.mapper().writeValueAsString(plain)).toString();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private JsonNode properties(String path) {
    JsonNode node = schema;
    for (String part : path.split("\\.")) {
      node = node.path("properties").path(part);
    }
    return node.path("properties");
  }

  private static String parent(String path) {
    return path.substring(0, path.lastIndexOf('.'));
  }

  private static JsonNode read() {
    try {
      return Json.mapper().readTree(SCHEMA.toFile());
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
