package dev.kft.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kft.job.LoraSpec;
import dev.kft.job.MethodSpec;
import dev.kft.job.MethodType;
import dev.kft.job.PromptTuningSpec;
import dev.kft.json.Json;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An adapter's config names its base as PEFT's {@code from_pretrained} resolves it: a hub id with
 * the revision in its own field, not kft's {@code hf://} form.
 */
@Tag("unit")
class PeftExportTest {

  @TempDir Path dir;

  private static final BertConfig CONFIG =
      BertConfig.parse(
              Json.mapper()
                  .createObjectNode()
                  .put("hidden_size", 32)
                  .put("num_attention_heads", 2)
                  .put("num_hidden_layers", 1))
          .withLabels(List.of("neg", "pos"));

  private JsonNode written(MethodSpec method, String base) throws Exception {
    Path target = dir.resolve(method.type().id() + base.length());
    PeftExport.write(target, method, CONFIG, base, Map.of());
    return Json.mapper().readTree(target.resolve(PeftExport.CONFIG).toFile());
  }

  @Test
  void aHubBaseIsNamedByItsIdWithTheRevisionBeside() throws Exception {
    MethodSpec lora =
        new MethodSpec(
            MethodType.LORA, new LoraSpec(null, null, null, null, null, null, null), null, null);
    JsonNode config = written(lora, "hf://google-bert/bert-base-chinese@v1.0");
    assertEquals("google-bert/bert-base-chinese", config.path("base_model_name_or_path").asText());
    assertEquals("v1.0", config.path("revision").asText());

    MethodSpec prompt =
        new MethodSpec(MethodType.PROMPT_TUNING, null, null, new PromptTuningSpec(4, null, null));
    JsonNode tuned = written(prompt, "hf://bert-base-chinese");
    assertEquals("bert-base-chinese", tuned.path("tokenizer_name_or_path").asText());
    assertEquals("main", tuned.path("revision").asText());

    JsonNode local = written(lora, "models/bert-base-chinese");
    assertEquals("models/bert-base-chinese", local.path("base_model_name_or_path").asText());
    assertTrue(local.path("revision").isMissingNode());
  }
}
