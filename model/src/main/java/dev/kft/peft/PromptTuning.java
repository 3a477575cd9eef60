package dev.kft.peft;

import ai.djl.ndarray.NDArray;
import dev.kft.checkpoint.BertConfig;
import dev.kft.checkpoint.BertLayout;
import dev.kft.checkpoint.PeftCheckpoint;
import dev.kft.checkpoint.TensorData;
import dev.kft.job.PromptTuningInit;
import dev.kft.job.PromptTuningSpec;
import dev.kft.nn.ModelExtension;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Function;

/**
 * Prompt tuning as PEFT's {@code PromptTuningConfig} defines it: {@code num_virtual_tokens} learned
 * embeddings stand before every input's word embeddings. {@code RANDOM} draws them from normal(0,
 * 1) (as a fresh {@code torch.nn.Embedding}); {@code TEXT} copies the word embeddings of the init
 * text's tokens, repeated or cut to the token count. The classifier head is trained with them, as
 * PEFT's sequence-classification task saves it.
 */
public final class PromptTuning implements PeftMethod {

  /** The tensor's name, as PEFT saves it. */
  private final PromptTuningSpec spec;

  private final int hidden;
  private final int[] initTokenIds;

  private final int positions;

  /**
   * @param initTokenIds the init text's token ids (with the tokenizer's special tokens, as PEFT
   *     tokenizes it), or null when the tensors are loaded rather than initialised
   */
  public PromptTuning(PromptTuningSpec spec, BertConfig config, int[] initTokenIds) {
    this.spec = spec;
    this.hidden = config.hiddenSize();
    this.positions = config.maxPositionEmbeddings();
    this.initTokenIds = initTokenIds;
  }

  /**
   * @param maxLength the job's {@code max_length}, which the virtual tokens add to
   * @throws IllegalArgumentException when prompt and input together exceed the model's positions
   */
  public void requireFits(int maxLength) {
    if (spec.numVirtualTokens() + maxLength > positions) {
      throw new IllegalArgumentException(
          "method.prompt_tuning.num_virtual_tokens: "
              + spec.numVirtualTokens()
              + " virtual tokens and max_length "
              + maxLength
              + " exceed the model's "
              + positions
              + " positions (max_position_embeddings)");
    }
  }

  @Override
  public Map<String, long[]> shapes() {
    return Map.of(PeftCheckpoint.PROMPT, new long[] {spec.numVirtualTokens(), hidden});
  }

  @Override
  public Map<String, TensorData> init(long seed, Function<String, TensorData> base) {
    int tokens = spec.numVirtualTokens();
    float[] values;
    if (spec.promptTuningInit() == PromptTuningInit.TEXT) {
      if (initTokenIds == null || initTokenIds.length == 0) {
        throw new IllegalArgumentException(
            "method.prompt_tuning.prompt_tuning_init_text: tokenizes to no tokens");
      }
      float[] table = base.apply(BertLayout.WORD_EMBEDDINGS).values();
      int vocab = table.length / hidden;
      for (int id : initTokenIds) {
        if (id >= vocab) {
          throw new IllegalArgumentException(
              "method.prompt_tuning.prompt_tuning_init_text: token id "
                  + id
                  + " is outside the model's vocabulary of "
                  + vocab
                  + " (is the tokenizer the model's?)");
        }
      }
      values = new float[tokens * hidden];
      for (int t = 0; t < tokens; t++) {
        int id = initTokenIds[t % initTokenIds.length];
        System.arraycopy(table, id * hidden, values, t * hidden, hidden);
      }
    } else {
      values = PeftMethod.normal(new SplittableRandom(seed ^ 0x50726F6DL), tokens * hidden, 1.0);
    }
    Map<String, TensorData> tensors = new LinkedHashMap<>();
    tensors.put(PeftCheckpoint.PROMPT, new TensorData(new long[] {tokens, hidden}, values));
    return tensors;
  }

  @Override
  public boolean trainsBase(String name) {
    return Modules.head(name);
  }

  @Override
  public ModelExtension bind(Map<String, NDArray> tensors) {
    NDArray prompt = tensors.get(PeftCheckpoint.PROMPT);
    return new ModelExtension() {
      @Override
      public NDArray prompt() {
        return prompt;
      }
    };
  }
}
