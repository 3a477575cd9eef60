package dev.kft.nn;

import ai.djl.ndarray.NDArray;

/**
 * What a parameter-efficient method adds to a {@link BertClassifier}'s forward pass: hooks at the
 * points where LoRA, bottleneck adapters and prompt tuning act. Each hook receives the arrays the
 * base model computed and returns what the pass continues with; the defaults change nothing.
 */
public interface ModelExtension {

  /**
   * Called after every linear module.
   *
   * @param module the module's name, e.g. {@code bert.encoder.layer.0.attention.self.query}
   * @param input the module's input
   * @param output what the base module computed
   * @param dropout the pass's dropout, {@link DropoutMasks#NONE} outside training
   */
  default NDArray linear(String module, NDArray input, NDArray output, DropoutMasks dropout) {
    return output;
  }

  /**
   * Called on a sub-layer's output (after its dense projection and dropout, before the residual
   * connection and LayerNorm).
   *
   * @param module {@code bert.encoder.layer.<i>.attention.output} or {@code
   *     bert.encoder.layer.<i>.output}
   */
  default NDArray sublayer(String module, NDArray output, DropoutMasks dropout) {
    return output;
  }

  /** Embeddings prepended to every input's word embeddings, {@code [tokens, hidden]}, or null. */
  default NDArray prompt() {
    return null;
  }
}
