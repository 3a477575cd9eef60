package dev.kft.checkpoint;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kft.job.AdapterSpec;
import dev.kft.job.AdapterType;
import dev.kft.job.LoraSpec;
import dev.kft.job.MethodSpec;
import dev.kft.job.MethodType;
import dev.kft.job.PromptTuningSpec;
import dev.kft.job.SpecValue;
import dev.kft.json.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes a PEFT checkpoint's trained tensors as an adapter directory: in Hugging Face PEFT's layout
 * for LoRA and prompt tuning ({@code adapter_config.json} and {@code adapter_model.safetensors}
 * with PEFT's tensor names, which {@code PeftModel.from_pretrained} loads over the base model), and
 * in the same files with kft's names and a {@code kft_bottleneck} type for bottleneck adapters,
 * which PEFT has no type for.
 */
public final class PeftExport {

  public static final String CONFIG = "adapter_config.json";

  /** The directory of an adapter in an exported version. */
  public static final String DIRECTORY = "adapter";

  /**
   * An adapter directory read back.
   *
   * @param method the method its {@code adapter_config.json} describes
   * @param trained its tensors under kft's names
   */
  public record Adapter(MethodSpec method, Map<String, TensorData> trained) {}

  private PeftExport() {}

  /**
   * Reads an adapter directory of a method that cannot be merged into its base: prompt tuning or
   * bottleneck adapters (a LoRA export's weights hold its updates already).
   *
   * @throws IllegalArgumentException naming a {@code peft_type} that is not one of those
   * @throws IOException when a file is missing or malformed
   */
  public static Adapter read(Path dir) throws IOException {
    JsonNode json = Json.mapper().readTree(dir.resolve(CONFIG).toFile());
    String type = json.path("peft_type").asText("");
    MethodSpec method;
    String prefix;
    switch (type) {
      case "PROMPT_TUNING" -> {
        int tokens = json.path("num_virtual_tokens").asInt();
        method =
            new MethodSpec(
                MethodType.PROMPT_TUNING, null, null, new PromptTuningSpec(tokens, null, null));
        prefix = "base_model.";
      }
      case "kft_bottleneck" -> {
        AdapterType where = SpecValue.of(AdapterType.class, json.path("adapter_type").asText());
        int factor = json.path("reduction_factor").asInt();
        method = new MethodSpec(MethodType.ADAPTER, null, new AdapterSpec(where, factor), null);
        prefix = "";
      }
      default ->
          throw new IllegalArgumentException(
              dir.resolve(CONFIG)
                  + ": peft_type '"
                  + type
                  + "' is not an adapter kept beside its base (PROMPT_TUNING, kft_bottleneck)");
    }
    Map<String, TensorData> trained = new LinkedHashMap<>();
    Path weights = dir.resolve(PeftCheckpoint.WEIGHTS);
    try (SafeTensorsReader reader = SafeTensorsReader.open(weights)) {
      for (Map.Entry<String, TensorData> e : reader.readAll().entrySet()) {
        String name = e.getKey();
        if (!name.equals(PeftCheckpoint.PROMPT) && !name.startsWith(prefix)) {
          throw new SafeTensorsException(weights + ": tensor " + name + " lacks PEFT's prefix");
        }
        trained.put(
            name.equals(PeftCheckpoint.PROMPT) ? name : name.substring(prefix.length()),
            e.getValue());
      }
    }
    return new Adapter(method, trained);
  }

  /**
   * Writes the adapter directory {@code target}.
   *
   * @param baseSource the base model's identity, recorded as {@code base_model_name_or_path}: for
   *     {@code hf://org/name@revision} the hub id PEFT resolves, the revision in {@code revision}
   * @param trained the checkpoint's tensors under kft's names
   */
  public static void write(
      Path target,
      MethodSpec method,
      BertConfig config,
      String baseSource,
      Map<String, TensorData> trained)
      throws IOException {
    ObjectNode json = Json.mapper().createObjectNode();
    String prefix =
        switch (method.type()) {
          case LORA -> {
            lora(json, method.lora());
            yield "base_model.model.";
          }
          case PROMPT_TUNING -> {
            promptTuning(json, method.promptTuning(), config, baseSource);
            yield "base_model.";
          }
          case ADAPTER -> {
            json.put("peft_type", "kft_bottleneck");
            json.put("adapter_type", method.adapter().type().id());
            json.put("reduction_factor", method.adapter().reductionFactor());
            json.put("non_linearity", "relu");
            yield "";
          }
          case FULL -> throw new IllegalArgumentException("not a PEFT method: full");
        };
    json.put("task_type", "SEQ_CLS");
    base(json, "base_model_name_or_path", baseSource);
    json.put("inference_mode", true);
    Files.createDirectories(target);
    Json.mapper()
        .writerWithDefaultPrettyPrinter()
        .writeValue(target.resolve(CONFIG).toFile(), json);
    Map<String, TensorData> renamed = new LinkedHashMap<>();
    trained.forEach((name, t) -> renamed.put(peftName(name, prefix), t));
    SafeTensorsWriter.write(
        target.resolve(PeftCheckpoint.WEIGHTS), renamed, Map.of("format", "pt"));
  }

  /**
   * PEFT's name of a tensor: the prompt as {@code prompt_embeddings}, the rest under the prefix.
   */
  private static String peftName(String name, String prefix) {
    return name.equals(PeftCheckpoint.PROMPT) ? name : prefix + name;
  }

  private static void lora(ObjectNode json, LoraSpec l) {
    json.put("peft_type", "LORA");
    json.put("r", l.r());
    json.put("lora_alpha", l.loraAlpha());
    json.put("lora_dropout", l.loraDropout());
    if (l.targetModules().pattern() != null) {
      json.put("target_modules", l.targetModules().pattern());
    } else {
      strings(json.putArray("target_modules"), l.targetModules().names());
    }
    json.put("bias", l.bias().id());
    strings(json.putArray("modules_to_save"), l.modulesToSave());
    json.put("use_rslora", l.useRslora());
    json.put("fan_in_fan_out", false);
    json.put("init_lora_weights", true);
  }

  private static void promptTuning(
      ObjectNode json, PromptTuningSpec p, BertConfig config, String baseSource) {
    json.put("peft_type", "PROMPT_TUNING");
    json.put("num_virtual_tokens", p.numVirtualTokens());
    json.put("token_dim", config.hiddenSize());
    json.put("num_transformer_submodules", 1);
    json.put("num_attention_heads", config.numAttentionHeads());
    json.put("num_layers", config.numHiddenLayers());
    json.put("prompt_tuning_init", p.promptTuningInit().id());
    json.put("prompt_tuning_init_text", p.promptTuningInitText());
    base(json, "tokenizer_name_or_path", baseSource);
  }

  private static void strings(ArrayNode array, List<String> values) {
    values.forEach(array::add);
  }

  /**
   * Names the base under {@code key} as PEFT's {@code from_pretrained} resolves it: a hub source by
   * its id, with its revision beside it; any other source as it is.
   */
  private static void base(ObjectNode json, String key, String source) {
    if (!HubModelId.isHub(source)) {
      json.put(key, source);
      return;
    }
    HubModelId id = HubModelId.parse(source);
    json.put(key, id.repoId());
    json.put("revision", id.revision());
  }
}
