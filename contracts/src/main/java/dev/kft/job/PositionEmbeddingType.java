package dev.kft.job;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * The values of a BERT config's {@code position_embedding_type}, as Hugging Face's BERT accepts
 * them: a learned vector per position added to the embeddings, or a learned vector per query-key
 * distance in every layer's attention (Shaw et al. 2018).
 */
public enum PositionEmbeddingType implements SpecValue {
  ABSOLUTE("absolute"),
  RELATIVE_KEY("relative_key"),
  RELATIVE_KEY_QUERY("relative_key_query");

  private final String id;

  PositionEmbeddingType(String id) {
    this.id = id;
  }

  @JsonValue
  @Override
  public String id() {
    return id;
  }

  /** The name in a job spec, so that messages and reports read as the user wrote it. */
  @Override
  public String toString() {
    return id;
  }
}
