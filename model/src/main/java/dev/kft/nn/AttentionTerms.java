package dev.kft.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.core.Embedding;
import dev.kft.checkpoint.BertConfig;
import dev.kft.job.PositionEmbeddingType;

/**
 * What turns every layer's raw attention scores {@code q·kᵀ} of one forward pass into the scores
 * softmax reads, as Hugging Face's {@code BertSelfAttention} does: the relative position terms when
 * {@code position_embedding_type} asks for them (each layer learns one vector per signed query-key
 * distance; queries, and for {@code relative_key_query} keys too, are dotted with the vector of
 * their distance), the scaling by {@code 1/√headSize}, and the additive padding mask.
 */
final class AttentionTerms {

  private final NDArray scale;
  private final NDArray mask;
  private final NDArray distances;
  private final boolean withKeys;

  private AttentionTerms(NDArray scale, NDArray mask, NDArray distances, boolean withKeys) {
    this.scale = scale;
    this.mask = mask;
    this.distances = distances;
    this.withKeys = withKeys;
  }

  /** The terms for a pass over {@code length} positions, in the pass's manager {@code step}. */
  static AttentionTerms of(BertConfig config, NDManager step, NDArray attentionMask, long length) {
    NDArray scale = step.create((float) (1.0 / Math.sqrt(config.headSize())));
    NDArray distances = null;
    if (config.relativePositions()) {
      NDArray positions = step.arange(0L, length, 1L, DataType.INT64);
      NDArray offset = step.create((long) config.maxPositionEmbeddings() - 1);
      distances = positions.reshape(-1, 1).sub(positions.reshape(1, -1)).add(offset);
    }
    boolean withKeys = config.positionEmbeddingType() == PositionEmbeddingType.RELATIVE_KEY_QUERY;
    return new AttentionTerms(scale, bias(step, attentionMask), distances, withKeys);
  }

  /**
   * Scores {@code [batch, heads, length, length]} from queries and keys {@code [batch, heads,
   * length, headSize]}; {@code distanceTable} is the layer's {@code distance_embedding.weight}, or
   * null with absolute positions; {@code products} gives {@code q · kᵀ} in the model's precision.
   */
  NDArray scores(NDArray q, NDArray k, NDArray distanceTable, MatrixProducts products) {
    NDArray raw = products.matMul(q, k.transpose(0, 1, 3, 2));
    if (distances != null) {
      NDArray table =
          Embedding.embedding(distances, distanceTable, SparseFormat.DENSE).singletonOrThrow();
      // einsum("bhld,lrd->bhlr", q, table): per query position l, q by table[l]ᵀ
      raw = raw.add(perPosition(q, table.transpose(0, 2, 1), 1, 2, 0, 3));
      if (withKeys) {
        // einsum("bhrd,lrd->bhlr", k, table): per key position r, k by table[:, r]ᵀ
        raw = raw.add(perPosition(k, table.transpose(1, 2, 0), 1, 2, 3, 0));
      }
    }
    return raw.mul(scale).add(mask);
  }

  /** Hugging Face's additive mask: 0 where attended, the lowest float where padded. */
  private static NDArray bias(NDManager step, NDArray attentionMask) {
    NDArray one = step.create(1f);
    NDArray lowest = step.create(-Float.MAX_VALUE);
    Shape s = attentionMask.getShape();
    return one.sub(attentionMask.toType(DataType.FLOAT32, false))
        .mul(lowest)
        .reshape(s.get(0), 1, 1, s.get(1));
  }

  /**
   * Dots {@code x [batch, heads, n, headSize]} at each of its positions {@code i} with {@code
   * tables[i] [headSize, n]}: one batched product, its result {@code [n, batch, heads, n]} put into
   * scores' axis order by {@code axes}.
   */
  private static NDArray perPosition(NDArray x, NDArray tables, int... axes) {
    Shape s = x.getShape();
    long length = s.get(2);
    return x.transpose(2, 0, 1, 3)
        .reshape(length, s.get(0) * s.get(1), s.get(3))
        .matMul(tables)
        .reshape(length, s.get(0), s.get(1), length)
        .transpose(axes);
  }
}
