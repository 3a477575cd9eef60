package dev.kft.tensorflow;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A tensor bundle's {@code .index} file decoded: the {@code BundleHeaderProto} under the empty key
 * (shard count, endianness) and a {@code BundleEntryProto} per tensor (dtype, shape, shard, offset,
 * size, CRC32C), read from the LevelDB-format table {@link SsTable} parses.
 *
 * @param shards how many {@code .data-NNNNN-of-NNNNN} files hold the tensors
 * @param entries every tensor, in name order
 */
record BundleIndex(int shards, List<TensorBundle.Entry> entries) {

  /**
   * @throws BundleFormatException when the file is missing, not a table, or has no bundle header
   */
  static BundleIndex read(Path index) throws IOException {
    if (!Files.isRegularFile(index)) {
      throw new BundleFormatException("no tensor bundle index at " + index);
    }
    Map<String, byte[]> table = SsTable.read(index);
    byte[] header = table.remove("");
    if (header == null) {
      throw new BundleFormatException(
          "not a TensorFlow tensor bundle: " + index + " has no bundle header");
    }
    List<TensorBundle.Entry> entries = new ArrayList<>();
    for (Map.Entry<String, byte[]> e : table.entrySet()) {
      entries.add(entry(e.getKey(), e.getValue()));
    }
    return new BundleIndex(shardCount(header, index), List.copyOf(entries));
  }

  private static int shardCount(byte[] header, Path index) throws BundleFormatException {
    ProtoReader in = new ProtoReader(header);
    long shards = 1;
    long endianness = 0;
    while (in.hasNext()) {
      switch (in.field()) {
        case 1 -> shards = in.varint();
        case 2 -> endianness = in.varint();
        default -> in.skip();
      }
    }
    if (endianness != 0) {
      throw new BundleFormatException(index + ": big-endian bundles are not supported");
    }
    if (shards < 1 || shards > 99_999) {
      throw new BundleFormatException(index + ": " + shards + " data shards");
    }
    return (int) shards;
  }

  /** Decodes a {@code BundleEntryProto}. */
  private static TensorBundle.Entry entry(String name, byte[] proto) throws BundleFormatException {
    ProtoReader in = new ProtoReader(proto);
    int dtype = 0;
    long[] shape = new long[0];
    long shard = 0;
    long offset = 0;
    long size = 0;
    int crc = 0;
    while (in.hasNext()) {
      switch (in.field()) {
        case 1 -> dtype = (int) in.varint();
        case 2 -> shape = shape(in.bytes());
        case 3 -> shard = in.varint();
        case 4 -> offset = in.varint();
        case 5 -> size = in.varint();
        case 6 -> crc = SsTable.unmask(in.fixed32());
        case 7 -> throw new BundleFormatException("tensor '" + name + "' is partitioned (slices)");
        default -> in.skip();
      }
    }
    return new TensorBundle.Entry(name, dtype, shape, (int) shard, offset, size, crc);
  }

  /** Decodes a {@code TensorShapeProto}: repeated {@code Dim} (field 2) with a size (field 1). */
  private static long[] shape(byte[] proto) throws BundleFormatException {
    ProtoReader in = new ProtoReader(proto);
    List<Long> dims = new ArrayList<>();
    while (in.hasNext()) {
      if (in.field() == 2) {
        ProtoReader dim = new ProtoReader(in.bytes());
        long value = 0;
        while (dim.hasNext()) {
          if (dim.field() == 1) {
            value = dim.varint();
          } else {
            dim.skip();
          }
        }
        dims.add(value);
      } else {
        in.skip();
      }
    }
    return dims.stream().mapToLong(Long::longValue).toArray();
  }
}
