package dev.kft.batch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("unit")
class BatchCodecTest {

  private static TokenizedBatch randomBatch(Random random, int vocab, boolean types) {
    int rows = random.nextInt(17);
    int seq = random.nextInt(130);
    int[] ids = new int[rows * seq];
    byte[] mask = new byte[rows * seq];
    byte[] typeIds = types ? new byte[rows * seq] : null;
    for (int r = 0; r < rows; r++) {
      int length = seq == 0 ? 0 : 1 + random.nextInt(seq);
      int pairStart = random.nextInt(length + 1);
      for (int c = 0; c < seq; c++) {
        int i = r * seq + c;
        boolean real = c < length;
        ids[i] = real ? random.nextInt(vocab) : 0;
        mask[i] = (byte) (real ? 1 : 0);
        if (types) {
          typeIds[i] = (byte) (real && c >= pairStart ? 1 : 0);
        }
      }
    }
    int[] labels = random.ints(rows, 0, 10).toArray();
    int[] rowIds = random.ints(rows, 0, Integer.MAX_VALUE).toArray();
    Split split = Split.values()[random.nextInt(3)];
    return new TokenizedBatch(
        "job-" + random.nextInt(1000) + "-作业",
        split,
        random.nextInt(10_000),
        rows,
        seq,
        ids,
        mask,
        typeIds,
        labels,
        rowIds);
  }

  @Test
  void randomBatchesRoundTrip() {
    Random random = new Random(7);
    for (int i = 0; i < 500; i++) {
      int vocab = i % 3 == 0 ? 250_002 : 21_128;
      TokenizedBatch batch = randomBatch(random, vocab, i % 2 == 0);
      TokenizedBatch decoded = BatchCodec.decode(BatchCodec.encode(batch));
      assertEquals(batch, decoded, "batch " + i);
    }
  }

  @Test
  void idsTakeTwoBytesWhenTheVocabularyFits() {
    int[] ids = new int[16 * 128];
    Arrays.fill(ids, 21_127);
    byte[] mask = new byte[ids.length];
    Arrays.fill(mask, (byte) 1);
    TokenizedBatch batch =
        new TokenizedBatch(
            "00000000-0000-0000-0000-000000000000",
            Split.TRAIN,
            0,
            16,
            128,
            ids,
            mask,
            new byte[ids.length],
            new int[16],
            new int[16]);
    // 22 header + 36 job id + 4,096 ids + 2 x 256 bit arrays + 64 labels + 64 row ids + 4 CRC
    assertEquals(4_798, BatchCodec.encode(batch).length);
    ids[5] = 70_000;
    assertEquals(4_798 + 4_096, BatchCodec.encode(batch).length);
  }

  @Test
  void theWorstCaseSizeIsWhatTheLargestBatchEncodesTo() {
    int rows = 457;
    int seq = 512;
    int[] ids = new int[rows * seq];
    Arrays.fill(ids, 119_546);
    TokenizedBatch batch =
        new TokenizedBatch(
            "j".repeat(128),
            Split.VALIDATION,
            0,
            rows,
            seq,
            ids,
            new byte[ids.length],
            new byte[ids.length],
            new int[rows],
            new int[rows]);
    byte[] encoded = BatchCodec.encode(batch);
    assertEquals(BatchCodec.maxEncodedSize(rows, seq), encoded.length);
    assertTrue(encoded.length <= BatchCodec.MAX_ENCODED_BYTES, encoded.length + " bytes");
  }

  @Test
  void everySingleBitFlipIsDetected() {
    byte[] encoded = BatchCodec.encode(randomBatch(new Random(3), 21_128, true));
    for (int i = 0; i < encoded.length; i++) {
      for (int bit = 0; bit < 8; bit++) {
        byte[] corrupt = encoded.clone();
        corrupt[i] ^= (byte) (1 << bit);
        assertThrows(BatchFormatException.class, () -> BatchCodec.decode(corrupt), "byte " + i);
      }
    }
  }

  @Test
  void everyTruncationIsDetected() {
    byte[] encoded = BatchCodec.encode(randomBatch(new Random(4), 21_128, false));
    for (int length = 0; length < encoded.length; length++) {
      byte[] truncated = Arrays.copyOf(encoded, length);
      assertThrows(BatchFormatException.class, () -> BatchCodec.decode(truncated));
    }
    byte[] longer = Arrays.copyOf(encoded, encoded.length + 1);
    assertThrows(BatchFormatException.class, () -> BatchCodec.decode(longer));
  }

  @Test
  void unknownVersionIsRefusedByName() {
    byte[] encoded = BatchCodec.encode(randomBatch(new Random(5), 100, false));
    encoded[4] = 2;
    BatchFormatException e =
        assertThrows(BatchFormatException.class, () -> BatchCodec.decode(encoded));
    assertEquals("unsupported batch format version 2, this reader knows 1", e.getMessage());
  }

  @Test
  void aShapeThatDisagreesWithTheLengthIsRefusedEvenWithAValidChecksum() {
    byte[] encoded = BatchCodec.encode(randomBatch(new Random(6), 100, false));
    ByteBuffer.wrap(encoded).putInt(12, 1_000_000);
    java.util.zip.CRC32 crc = new java.util.zip.CRC32();
    crc.update(encoded, 0, encoded.length - 4);
    ByteBuffer.wrap(encoded).putInt(encoded.length - 4, (int) crc.getValue());
    BatchFormatException e =
        assertThrows(BatchFormatException.class, () -> BatchCodec.decode(encoded));
    assertTrue(e.getMessage().startsWith("corrupt batch: shape 1000000x"), e.getMessage());
  }

  @Test
  void inconsistentBatchesCannotBeBuilt() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                new TokenizedBatch(
                    "j",
                    Split.TEST,
                    0,
                    2,
                    3,
                    new int[6],
                    new byte[5],
                    null,
                    new int[2],
                    new int[2]));
    assertEquals("attentionMask: expected 6 values for the batch shape, got 5", e.getMessage());
    assertThrows(
        IllegalArgumentException.class,
        () ->
            new TokenizedBatch(
                "j",
                Split.TEST,
                0,
                1,
                1,
                new int[1],
                new byte[] {2},
                null,
                new int[1],
                new int[1]));
  }

  @Test
  void bitsArePackedLowestFirst() {
    TokenizedBatch batch =
        new TokenizedBatch(
            "j",
            Split.VALIDATION,
            3,
            1,
            9,
            new int[9],
            new byte[] {1, 0, 1, 1, 0, 0, 0, 0, 1},
            null,
            new int[] {1},
            new int[] {42});
    byte[] encoded = BatchCodec.encode(batch);
    int maskAt = 22 + 1 + 2 * 9;
    assertArrayEquals(
        new byte[] {0b00001101, 0b00000001}, Arrays.copyOfRange(encoded, maskAt, maskAt + 2));
    assertEquals(1, encoded[6], "split code of validation");
  }
}
