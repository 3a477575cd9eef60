package dev.kft.dataprep.domain;

import dev.kft.batch.Split;
import dev.kft.batch.TokenizedBatch;
import dev.kft.text.Encoder.Encoded;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Cuts a split's tokenized examples into {@link TokenizedBatch}es in the order given, padding each
 * batch to its longest row ({@code longest}) or to {@code max_length}. Row ids are the 1-based
 * source rows; an augmented example carries the negative of its source row.
 */
public final class Batcher {

  private Batcher() {}

  public static List<TokenizedBatch> batches(
      String jobId,
      Split split,
      List<Example> examples,
      List<Encoded> encoded,
      int batchSize,
      int padTo,
      int padId) {
    List<TokenizedBatch> batches = new ArrayList<>();
    for (int start = 0, index = 0; start < examples.size(); start += batchSize, index++) {
      int end = Math.min(examples.size(), start + batchSize);
      batches.add(
          batch(
              jobId,
              split,
              index,
              examples.subList(start, end),
              encoded.subList(start, end),
              padTo,
              padId));
    }
    return batches;
  }

  private static TokenizedBatch batch(
      String jobId,
      Split split,
      int index,
      List<Example> rows,
      List<Encoded> encoded,
      int padTo,
      int padId) {
    int seq = padTo > 0 ? padTo : encoded.stream().mapToInt(e -> e.ids().length).max().orElse(0);
    int n = rows.size();
    int[] ids = new int[n * seq];
    Arrays.fill(ids, padId);
    byte[] mask = new byte[n * seq];
    byte[] types = new byte[n * seq];
    int[] labels = new int[n];
    int[] rowIds = new int[n];
    for (int r = 0; r < n; r++) {
      Encoded e = encoded.get(r);
      System.arraycopy(e.ids(), 0, ids, r * seq, e.ids().length);
      System.arraycopy(e.typeIds(), 0, types, r * seq, e.typeIds().length);
      Arrays.fill(mask, r * seq, r * seq + e.ids().length, (byte) 1);
      Example example = rows.get(r);
      labels[r] = example.label();
      int row = (int) Math.min(Integer.MAX_VALUE, example.row());
      rowIds[r] = example.augmented() ? -row : row;
    }
    return new TokenizedBatch(jobId, split, index, n, seq, ids, mask, types, labels, rowIds);
  }
}
