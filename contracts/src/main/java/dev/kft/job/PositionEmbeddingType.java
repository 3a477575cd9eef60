package dev.kft.job;

/**
 * The values of a BERT config's {@code position_embedding_type}, as Hugging Face's BERT accepts
 * them: a learned vector per position added to the embeddings, or a learned vector per query-key
 * distance in every layer's attention (Shaw et al. 2018).
 */
public enum PositionEmbeddingType implements SpecValue {
  ABSOLUTE,
  RELATIVE_KEY,
  RELATIVE_KEY_QUERY;

  /** The name in a job spec, so that messages and reports read as the user wrote it. */
  @Override
  public String toString() {
    return id();
  }
}
