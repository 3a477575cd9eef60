package dev.kft.batch;

import java.util.Arrays;
import java.util.Objects;

/**
 * A batch of tokenized, labelled examples of one split, as published on {@code kft.batches}.
 *
 * <p>Arrays are row-major {@code [rows][sequenceLength]}; rows are padded to the batch's longest
 * sequence. Arrays are shared, not copied: treat them as read-only.
 *
 * @param jobId the job the batch belongs to
 * @param split the split it belongs to
 * @param index its position among the split's batches, from 0
 * @param rows examples in the batch
 * @param sequenceLength tokens per example, padding included
 * @param inputIds token ids, {@code rows * sequenceLength} of them, each ≥ 0
 * @param attentionMask 1 for real tokens, 0 for padding
 * @param tokenTypeIds segment ids (0 or 1), or {@code null} when the model takes none
 * @param labels label id per row
 * @param rowIds the source row of each example, for lineage
 */
public record TokenizedBatch(
    String jobId,
    Split split,
    int index,
    int rows,
    int sequenceLength,
    int[] inputIds,
    byte[] attentionMask,
    byte[] tokenTypeIds,
    int[] labels,
    int[] rowIds) {

  /** Checks that every array has the size and value range the shape asks for. */
  public TokenizedBatch {
    Objects.requireNonNull(jobId, "jobId");
    Objects.requireNonNull(split, "split");
    if (index < 0 || rows < 0 || sequenceLength < 0) {
      throw new IllegalArgumentException(
          "index, rows and sequenceLength must be >= 0, got "
              + index
              + ", "
              + rows
              + ", "
              + sequenceLength);
    }
    long cells = (long) rows * sequenceLength;
    requireLength("inputIds", inputIds.length, cells);
    requireLength("attentionMask", attentionMask.length, cells);
    requireLength("labels", labels.length, rows);
    requireLength("rowIds", rowIds.length, rows);
    for (int id : inputIds) {
      if (id < 0) {
        throw new IllegalArgumentException("inputIds: token ids must be >= 0, got " + id);
      }
    }
    requireBits("attentionMask", attentionMask);
    if (tokenTypeIds != null) {
      requireLength("tokenTypeIds", tokenTypeIds.length, cells);
      requireBits("tokenTypeIds", tokenTypeIds);
    }
  }

  /** Number of real (unpadded) tokens in the batch. */
  public long tokenCount() {
    long count = 0;
    for (byte m : attentionMask) {
      count += m;
    }
    return count;
  }

  private static void requireLength(String name, int actual, long expected) {
    if (actual != expected) {
      throw new IllegalArgumentException(
          name + ": expected " + expected + " values for the batch shape, got " + actual);
    }
  }

  private static void requireBits(String name, byte[] values) {
    for (byte v : values) {
      if (v != 0 && v != 1) {
        throw new IllegalArgumentException(name + ": values must be 0 or 1, got " + v);
      }
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TokenizedBatch b
        && jobId.equals(b.jobId)
        && split == b.split
        && index == b.index
        && rows == b.rows
        && sequenceLength == b.sequenceLength
        && Arrays.equals(inputIds, b.inputIds)
        && Arrays.equals(attentionMask, b.attentionMask)
        && Arrays.equals(tokenTypeIds, b.tokenTypeIds)
        && Arrays.equals(labels, b.labels)
        && Arrays.equals(rowIds, b.rowIds);
  }

  @Override
  public int hashCode() {
    return Objects.hash(jobId, split, index, rows, sequenceLength, Arrays.hashCode(inputIds));
  }

  @Override
  public String toString() {
    return "TokenizedBatch["
        + jobId
        + " "
        + split.label()
        + " #"
        + index
        + " "
        + rows
        + "x"
        + sequenceLength
        + "]";
  }
}
