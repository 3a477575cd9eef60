package dev.kft.peft;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import dev.kft.checkpoint.BertConfig;
import dev.kft.job.MethodSpec;
import dev.kft.job.PromptTuningInit;
import dev.kft.job.PromptTuningSpec;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

/** Picks the {@link PeftMethod} a job's {@code method} section asks for. */
public final class Peft {

  private Peft() {}

  /**
   * The job's method over a model of {@code config}, or empty for full fine-tuning.
   *
   * @param tokenizer the job's {@code tokenizer.json}, read only for prompt tuning's {@code TEXT}
   *     init; null when the method's tensors are loaded rather than initialised
   * @throws IllegalArgumentException naming the setting that does not fit the model
   */
  public static Optional<PeftMethod> of(MethodSpec method, BertConfig config, Path tokenizer)
      throws IOException {
    return switch (method.type()) {
      case LORA -> Optional.of(new Lora(method.lora(), config));
      case ADAPTER -> Optional.of(new BottleneckAdapters(method.adapter(), config));
      case PROMPT_TUNING ->
          Optional.of(
              new PromptTuning(
                  method.promptTuning(), config, initTokens(method.promptTuning(), tokenizer)));
      default -> Optional.empty();
    };
  }

  private static int[] initTokens(PromptTuningSpec spec, Path tokenizer) throws IOException {
    if (spec.promptTuningInit() != PromptTuningInit.TEXT || tokenizer == null) {
      return null;
    }
    try (HuggingFaceTokenizer t =
        HuggingFaceTokenizer.builder()
            .optTokenizerPath(tokenizer)
            .optAddSpecialTokens(true)
            .optTruncation(false)
            .build()) {
      long[] ids = t.encode(spec.promptTuningInitText()).getIds();
      int[] tokens = new int[ids.length];
      for (int i = 0; i < ids.length; i++) {
        tokens[i] = (int) ids[i];
      }
      return tokens;
    }
  }
}
