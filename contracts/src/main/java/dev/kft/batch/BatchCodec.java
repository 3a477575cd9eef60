package dev.kft.batch;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;

/**
 * Encodes {@link TokenizedBatch}es for {@code kft.batches} in a compact, versioned binary layout,
 * and decodes them back, refusing anything truncated, corrupt or of an unknown version.
 *
 * <h2>Layout, version 1</h2>
 *
 * All integers big-endian. {@code N = rows * sequenceLength}; bit arrays are row-major, the first
 * value in the lowest bit of the first byte, unused high bits of the last byte zero.
 *
 * <pre>
 * offset  size            field
 * 0       4               magic "KFTB" (0x4B 0x46 0x54 0x42)
 * 4       1               format version = 1
 * 5       1               flags: bit 0 token ids are u16 (else i32); bit 1 token type ids present;
 *                                other bits 0
 * 6       1               split: 0 train, 1 validation, 2 test
 * 7       1               reserved, 0
 * 8       4               batch index (i32)
 * 12      4               rows (i32)
 * 16      4               sequence length (i32)
 * 20      2               job id length J in bytes (u16)
 * 22      J               job id, UTF-8
 * ...     2N or 4N        input ids (u16 when every id &lt; 65536, else i32)
 * ...     ceil(N/8)       attention mask bits
 * ...     ceil(N/8)       token type id bits (only with flag bit 1)
 * ...     4 * rows        label ids (i32)
 * ...     4 * rows        source row ids (i32)
 * ...     4               CRC-32 (IEEE) of every byte before it
 * </pre>
 *
 * A batch of 16 sequences of 128 tokens with a 21,128-token vocabulary, token type ids and a UUID
 * job id takes 4,798 bytes, 4,096 of them token ids.
 */
public final class BatchCodec {

  /** The format version this codec writes. */
  public static final int VERSION = 1;

  private static final int MAGIC = 0x4B465442;
  private static final int HEADER_BYTES = 22;
  private static final int FLAG_U16_IDS = 1;
  private static final int FLAG_TOKEN_TYPES = 2;
  private static final int KNOWN_FLAGS = FLAG_U16_IDS | FLAG_TOKEN_TYPES;

  /**
   * The most bytes one encoded batch may take: it travels as one Kafka record, and producers and
   * brokers refuse records over 1 MiB unless reconfigured.
   */
  public static final long MAX_ENCODED_BYTES = 1_000_000;

  private BatchCodec() {}

  /**
   * The most bytes a batch of {@code rows} sequences of {@code sequenceLength} tokens can take: ids
   * of 4 bytes, token type ids present, a job id of the longest length allowed (128 bytes).
   */
  public static long maxEncodedSize(long rows, long sequenceLength) {
    long cells = rows * sequenceLength;
    return HEADER_BYTES + 128 + cells * 4 + 2 * ((cells + 7) / 8) + 8 * rows + 4;
  }

  /** Encodes a batch; the result is what {@link #decode(byte[])} reads back to an equal batch. */
  public static byte[] encode(TokenizedBatch batch) {
    byte[] jobId = batch.jobId().getBytes(StandardCharsets.UTF_8);
    if (jobId.length > 0xFFFF) {
      throw new IllegalArgumentException("jobId: longer than 65535 bytes");
    }
    boolean u16 = maxOf(batch.inputIds()) <= 0xFFFF;
    boolean types = batch.tokenTypeIds() != null;
    int cells = batch.inputIds().length;
    long size =
        HEADER_BYTES
            + jobId.length
            + (long) cells * (u16 ? 2 : 4)
            + (long) bitBytes(cells) * (types ? 2 : 1)
            + 8L * batch.rows()
            + 4;
    if (size > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("batch too large to encode: " + size + " bytes");
    }
    ByteBuffer out = ByteBuffer.allocate((int) size);
    out.putInt(MAGIC)
        .put((byte) VERSION)
        .put((byte) ((u16 ? FLAG_U16_IDS : 0) | (types ? FLAG_TOKEN_TYPES : 0)))
        .put((byte) batch.split().ordinal())
        .put((byte) 0)
        .putInt(batch.index())
        .putInt(batch.rows())
        .putInt(batch.sequenceLength())
        .putShort((short) jobId.length)
        .put(jobId);
    for (int id : batch.inputIds()) {
      if (u16) {
        out.putShort((short) id);
      } else {
        out.putInt(id);
      }
    }
    putBits(out, batch.attentionMask());
    if (types) {
      putBits(out, batch.tokenTypeIds());
    }
    for (int label : batch.labels()) {
      out.putInt(label);
    }
    for (int row : batch.rowIds()) {
      out.putInt(row);
    }
    out.putInt((int) crc(out.array(), out.position()));
    return out.array();
  }

  /**
   * Decodes bytes written by {@link #encode(TokenizedBatch)}.
   *
   * @throws BatchFormatException if the bytes are truncated, corrupt or of an unknown version
   */
  public static TokenizedBatch decode(byte[] bytes) {
    if (bytes == null || bytes.length < HEADER_BYTES + 4) {
      throw new BatchFormatException(
          "truncated batch: " + (bytes == null ? 0 : bytes.length) + " bytes, header needs 26");
    }
    ByteBuffer in = ByteBuffer.wrap(bytes);
    if (in.getInt() != MAGIC) {
      throw new BatchFormatException("not a kft batch: magic bytes are not KFTB");
    }
    int version = in.get() & 0xFF;
    if (version != VERSION) {
      throw new BatchFormatException(
          "unsupported batch format version " + version + ", this reader knows " + VERSION);
    }
    int stored = ByteBuffer.wrap(bytes, bytes.length - 4, 4).getInt();
    if (stored != (int) crc(bytes, bytes.length - 4)) {
      throw new BatchFormatException(
          "corrupt or truncated batch: CRC-32 does not match its " + bytes.length + " bytes");
    }
    try {
      return readBody(in, bytes.length);
    } catch (BufferUnderflowException | IllegalArgumentException e) {
      throw new BatchFormatException("corrupt batch: " + e.getMessage());
    }
  }

  private static TokenizedBatch readBody(ByteBuffer in, int total) {
    int flags = in.get() & 0xFF;
    if ((flags & ~KNOWN_FLAGS) != 0) {
      throw new BatchFormatException("corrupt batch: unknown flags " + flags);
    }
    int splitCode = in.get() & 0xFF;
    if (splitCode >= Split.values().length || in.get() != 0) {
      throw new BatchFormatException("corrupt batch: split code " + splitCode);
    }
    int index = in.getInt();
    int rows = in.getInt();
    int sequenceLength = in.getInt();
    byte[] jobId = new byte[in.getShort() & 0xFFFF];
    in.get(jobId);
    boolean u16 = (flags & FLAG_U16_IDS) != 0;
    boolean types = (flags & FLAG_TOKEN_TYPES) != 0;
    long cells = (long) rows * sequenceLength;
    long expected =
        in.position() + cells * (u16 ? 2 : 4) + bitBytes(cells) * (types ? 2 : 1) + 8L * rows + 4;
    if (rows < 0 || sequenceLength < 0 || expected != total) {
      throw new BatchFormatException(
          "corrupt batch: shape "
              + rows
              + "x"
              + sequenceLength
              + " needs "
              + expected
              + " bytes, got "
              + total);
    }
    int[] ids = new int[(int) cells];
    for (int i = 0; i < ids.length; i++) {
      ids[i] = u16 ? in.getShort() & 0xFFFF : in.getInt();
    }
    byte[] mask = getBits(in, (int) cells);
    byte[] typeIds = types ? getBits(in, (int) cells) : null;
    int[] labels = getInts(in, rows);
    int[] rowIds = getInts(in, rows);
    return new TokenizedBatch(
        new String(jobId, StandardCharsets.UTF_8),
        Split.values()[splitCode],
        index,
        rows,
        sequenceLength,
        ids,
        mask,
        typeIds,
        labels,
        rowIds);
  }

  private static int maxOf(int[] values) {
    int max = 0;
    for (int v : values) {
      max = Math.max(max, v);
    }
    return max;
  }

  private static int bitBytes(long bits) {
    return (int) ((bits + 7) / 8);
  }

  private static void putBits(ByteBuffer out, byte[] bits) {
    for (int start = 0; start < bits.length; start += 8) {
      int packed = 0;
      for (int b = 0; b < 8 && start + b < bits.length; b++) {
        packed |= bits[start + b] << b;
      }
      out.put((byte) packed);
    }
  }

  private static byte[] getBits(ByteBuffer in, int count) {
    byte[] bits = new byte[count];
    for (int start = 0; start < count; start += 8) {
      int packed = in.get() & 0xFF;
      for (int b = 0; b < 8; b++) {
        int bit = (packed >> b) & 1;
        if (start + b < count) {
          bits[start + b] = (byte) bit;
        } else if (bit != 0) {
          throw new BatchFormatException("corrupt batch: padding bits are not zero");
        }
      }
    }
    return bits;
  }

  private static int[] getInts(ByteBuffer in, int count) {
    int[] values = new int[count];
    for (int i = 0; i < count; i++) {
      values[i] = in.getInt();
    }
    return values;
  }

  private static long crc(byte[] bytes, int length) {
    CRC32 crc = new CRC32();
    crc.update(bytes, 0, length);
    return crc.getValue();
  }
}
