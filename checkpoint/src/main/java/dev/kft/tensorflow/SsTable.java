package dev.kft.tensorflow;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.CRC32C;

/**
 * Reads a LevelDB-format table (the format of a tensor bundle's {@code .index} file) into memory:
 * the 48-byte footer with the index block's handle and the table magic number, the index block
 * naming every data block, and the data blocks' prefix-compressed entries. Every block's masked
 * CRC32C is checked; compressed blocks are refused (TensorFlow writes bundle indexes without
 * compression).
 */
final class SsTable {

  private static final long MAGIC = 0xdb4775248b80fb57L;
  private static final int FOOTER = 48;
  private static final int TRAILER = 5;

  private final Path file;
  private final ByteBuffer data;

  private SsTable(Path file, byte[] bytes) {
    this.file = file;
    this.data = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
  }

  /** Every entry of the table at {@code file}, in key order. */
  static Map<String, byte[]> read(Path file) throws IOException {
    long size = Files.size(file);
    if (size > Integer.MAX_VALUE) {
      throw new BundleFormatException(file + ": " + size + " bytes is too large for an index");
    }
    return new SsTable(file, Files.readAllBytes(file)).entries();
  }

  private Map<String, byte[]> entries() throws BundleFormatException {
    int length = data.capacity();
    if (length < FOOTER || data.getLong(length - 8) != MAGIC) {
      throw new BundleFormatException(
          "not a TensorFlow tensor bundle: "
              + file
              + " does not end with a table footer (magic number 0xdb4775248b80fb57)");
    }
    ByteBuffer footer = data.duplicate().order(ByteOrder.LITTLE_ENDIAN).position(length - FOOTER);
    ProtoReader.varint(footer); // the metaindex block: bundles keep nothing there
    ProtoReader.varint(footer);
    long indexOffset = ProtoReader.varint(footer);
    long indexSize = ProtoReader.varint(footer);
    Map<String, byte[]> entries = new LinkedHashMap<>();
    for (byte[] handle : block(indexOffset, indexSize).values()) {
      ByteBuffer h = ByteBuffer.wrap(handle);
      long offset = ProtoReader.varint(h);
      long blockSize = ProtoReader.varint(h);
      entries.putAll(block(offset, blockSize));
    }
    return entries;
  }

  /** The entries of the block at {@code offset}, after checking its trailer. */
  private Map<String, byte[]> block(long offset, long size) throws BundleFormatException {
    if (offset < 0 || size < 4 || offset + size + TRAILER > data.capacity() - FOOTER) {
      throw new BundleFormatException(
          file
              + ": a block at "
              + offset
              + " ("
              + size
              + " bytes) lies outside the file: truncated?");
    }
    int start = (int) offset;
    int end = (int) (offset + size);
    byte type = data.get(end);
    CRC32C crc = new CRC32C();
    crc.update(data.array(), start, (int) size + 1);
    int stored = data.getInt(end + 1);
    if (unmask(stored) != (int) crc.getValue()) {
      throw new BundleFormatException(
          file + ": the block at " + offset + " fails its CRC32C check: the file is damaged");
    }
    if (type != 0) {
      throw new BundleFormatException(
          file + ": block compression type " + type + " is not supported (only uncompressed)");
    }
    int restarts = data.getInt(end - 4);
    int limit = end - 4 - 4 * restarts;
    if (restarts < 0 || limit < start) {
      throw new BundleFormatException(file + ": the block at " + offset + " is malformed");
    }
    return parse(start, limit);
  }

  private Map<String, byte[]> parse(int start, int limit) throws BundleFormatException {
    Map<String, byte[]> entries = new LinkedHashMap<>();
    ByteBuffer in = data.duplicate().position(start).limit(limit);
    byte[] key = new byte[0];
    while (in.hasRemaining()) {
      int shared = (int) ProtoReader.varint(in);
      int unshared = (int) ProtoReader.varint(in);
      int valueLength = (int) ProtoReader.varint(in);
      if (shared > key.length || unshared + valueLength > in.remaining()) {
        throw new BundleFormatException(file + ": an entry runs past the end of its block");
      }
      key = Arrays.copyOf(key, shared + unshared);
      in.get(key, shared, unshared);
      byte[] value = new byte[valueLength];
      in.get(value);
      entries.put(new String(key, StandardCharsets.UTF_8), value);
    }
    return entries;
  }

  /** Undoes the masking LevelDB and TensorFlow apply to stored CRC32C values. */
  static int unmask(int masked) {
    int rotated = masked - 0xa282ead8;
    return (rotated >>> 17) | (rotated << 15);
  }
}
