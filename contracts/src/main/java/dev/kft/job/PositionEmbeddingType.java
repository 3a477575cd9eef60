package dev.kft.job;

import java.util.Arrays;
import java.util.List;

/**
 * The values of a BERT config's {@code position_embedding_type}, as Hugging Face's BERT accepts
 * them: a learned vector per position added to the embeddings, or a learned vector per query-key
 * distance in every layer's attention (Shaw et al. 2018).
 */
public enum PositionEmbeddingType {
  ABSOLUTE("absolute"),
  RELATIVE_KEY("relative_key"),
  RELATIVE_KEY_QUERY("relative_key_query");

  private final String id;

  PositionEmbeddingType(String id) {
    this.id = id;
  }

  /** The name in {@code config.json}. */
  public String id() {
    return id;
  }

  /** Every name, in declaration order. */
  public static List<String> ids() {
    return Arrays.stream(values()).map(PositionEmbeddingType::id).toList();
  }

  /**
   * The type named {@code id}.
   *
   * @throws IllegalArgumentException naming the field and the accepted values
   */
  public static PositionEmbeddingType of(String id) {
    return Arrays.stream(values())
        .filter(t -> t.id.equals(id))
        .findFirst()
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "position_embedding_type '" + id + "' is not one of " + ids()));
  }
}
