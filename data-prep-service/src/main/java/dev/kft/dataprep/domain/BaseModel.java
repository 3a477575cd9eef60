package dev.kft.dataprep.domain;

import java.nio.file.Path;
import java.util.Map;

/**
 * The base model as data-prep needs it.
 *
 * @param tokenizerJson the tokenizer to encode with
 * @param vocabSize rows of the model's word embeddings
 * @param hiddenSize their width (for the pruning report)
 * @param maxPositions the longest input the model has position embeddings for
 * @param origin where the model came from, carried into the report
 */
public record BaseModel(
    Path tokenizerJson,
    int vocabSize,
    int hiddenSize,
    int maxPositions,
    Map<String, String> origin) {

  /**
   * Refuses a {@code max_length} longer than the model's positions.
   *
   * @throws DataProblem naming {@code model.max_length} and the model's limit
   */
  public void requireFits(int maxLength) {
    if (maxLength > maxPositions) {
      throw new DataProblem(
          "model.max_length is "
              + maxLength
              + ", but the model has position embeddings for "
              + maxPositions
              + " tokens (max_position_embeddings): use at most "
              + maxPositions);
    }
  }
}
