package dev.kft.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.kft.batch.TokenizedBatch;

/**
 * A batch as the model reads it: {@code [batch, sequence]} arrays of token ids, attention mask and
 * token type ids (int64), created in the caller's per-step manager.
 */
public record ModelInputs(NDArray inputIds, NDArray attentionMask, NDArray tokenTypeIds) {

  /** Copies a tokenized batch into arrays of {@code manager}. */
  public static ModelInputs of(NDManager manager, TokenizedBatch batch) {
    Shape shape = new Shape(batch.rows(), batch.sequenceLength());
    long[] ids = new long[batch.inputIds().length];
    long[] mask = new long[ids.length];
    long[] types = new long[ids.length];
    for (int i = 0; i < ids.length; i++) {
      ids[i] = batch.inputIds()[i];
      mask[i] = batch.attentionMask()[i];
      types[i] = batch.tokenTypeIds() == null ? 0 : batch.tokenTypeIds()[i];
    }
    return new ModelInputs(
        manager.create(ids, shape), manager.create(mask, shape), manager.create(types, shape));
  }

  /** Labels of a batch as an int64 vector in {@code manager}. */
  public static NDArray labels(NDManager manager, TokenizedBatch batch) {
    long[] labels = new long[batch.rows()];
    for (int i = 0; i < labels.length; i++) {
      labels[i] = batch.labels()[i];
    }
    return manager.create(labels).toType(DataType.INT64, false);
  }

  /**
   * These inputs with {@code tokens} positions in front, as PEFT's prompt tuning feeds an encoder:
   * attended (mask 1) and of token type 0; the ids stay as they are, since the prefix's embeddings
   * are not looked up.
   */
  public ModelInputs withPrefix(long tokens) {
    NDManager manager = inputIds.getManager();
    Shape prefix = new Shape(batchSize(), tokens);
    return new ModelInputs(
        inputIds,
        NDArrays.concat(
            new NDList(manager.ones(prefix, attentionMask.getDataType()), attentionMask), 1),
        NDArrays.concat(
            new NDList(manager.zeros(prefix, tokenTypeIds.getDataType()), tokenTypeIds), 1));
  }

  public long batchSize() {
    return inputIds.getShape().get(0);
  }

  public long sequenceLength() {
    return inputIds.getShape().get(1);
  }
}
