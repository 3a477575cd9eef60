package dev.kft.nn;

import dev.kft.batch.TokenizedBatch;
import java.util.Arrays;

/** Slices of tokenized batches. */
public final class Batches {

  private Batches() {}

  /** Rows {@code [from, to)} of a batch, as a batch of its own with the same sequence length. */
  public static TokenizedBatch rows(TokenizedBatch b, int from, int to) {
    if (from == 0 && to == b.rows()) {
      return b;
    }
    int seq = b.sequenceLength();
    return new TokenizedBatch(
        b.jobId(),
        b.split(),
        b.index(),
        to - from,
        seq,
        Arrays.copyOfRange(b.inputIds(), from * seq, to * seq),
        Arrays.copyOfRange(b.attentionMask(), from * seq, to * seq),
        b.tokenTypeIds() == null
            ? null
            : Arrays.copyOfRange(b.tokenTypeIds(), from * seq, to * seq),
        Arrays.copyOfRange(b.labels(), from, to),
        Arrays.copyOfRange(b.rowIds(), from, to));
  }
}
