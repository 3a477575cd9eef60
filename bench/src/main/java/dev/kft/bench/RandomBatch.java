package dev.kft.bench;

import dev.kft.batch.Split;
import dev.kft.batch.TokenizedBatch;
import java.util.Arrays;
import java.util.Random;

/** A seeded batch of random token ids, every position attended, for timing a training step. */
final class RandomBatch {

  private RandomBatch() {}

  static TokenizedBatch of(int rows, int seq, int vocab, long seed) {
    Random random = new Random(seed);
    int[] ids = random.ints(rows * seq, 1, vocab).toArray();
    byte[] mask = new byte[rows * seq];
    Arrays.fill(mask, (byte) 1);
    return new TokenizedBatch(
        "bench",
        Split.TRAIN,
        0,
        rows,
        seq,
        ids,
        mask,
        new byte[rows * seq],
        random.ints(rows, 0, 2).toArray(),
        new int[rows]);
  }
}
