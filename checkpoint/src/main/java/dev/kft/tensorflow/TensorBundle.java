package dev.kft.tensorflow;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * A TensorFlow tensor bundle (the {@code variables/} of a SavedModel, or a checkpoint {@code
 * model.ckpt}): the {@code .index} table names every tensor with its dtype, shape and place in a
 * {@code .data-NNNNN-of-NNNNN} shard, and the tensors are read one at a time from the shards, each
 * checked against its CRC32C. No TensorFlow is involved.
 */
public final class TensorBundle implements AutoCloseable {

  /** The dtype code of float32 tensors ({@code DT_FLOAT}). */
  public static final int DT_FLOAT = 1;

  private static final int CHUNK = 1 << 20;

  /**
   * One tensor of the bundle.
   *
   * @param dtype TensorFlow's {@code DataType} code ({@link #DT_FLOAT} for float32)
   * @param shape the dimensions, outermost first
   * @param shard which data file holds the bytes
   * @param offset where in that file the bytes start
   * @param size how many bytes there are
   * @param crc32c the CRC32C of the bytes, unmasked
   */
  public record Entry(
      String name, int dtype, long[] shape, int shard, long offset, long size, int crc32c) {

    /** The number of values. */
    public long elements() {
      return Arrays.stream(shape).reduce(1, Math::multiplyExact);
    }
  }

  private final Path prefix;
  private final List<Entry> entries;
  private final FileChannel[] shards;

  private TensorBundle(Path prefix, List<Entry> entries, FileChannel[] shards) {
    this.prefix = prefix;
    this.entries = entries;
    this.shards = shards;
  }

  /**
   * Opens the bundle whose files are {@code prefix.index} and {@code prefix.data-*}, e.g. {@code
   * saved_model/variables/variables}.
   *
   * @throws BundleFormatException when the index is not a tensor bundle or a shard is missing
   */
  public static TensorBundle open(Path prefix) throws IOException {
    BundleIndex index = BundleIndex.read(prefix.resolveSibling(prefix.getFileName() + ".index"));
    int shardCount = index.shards();
    FileChannel[] shards = new FileChannel[shardCount];
    try {
      for (int i = 0; i < shardCount; i++) {
        Path shard =
            prefix.resolveSibling(
                String.format("%s.data-%05d-of-%05d", prefix.getFileName(), i, shardCount));
        if (!Files.isRegularFile(shard)) {
          throw new BundleFormatException("the bundle's data file " + shard + " is missing");
        }
        shards[i] = FileChannel.open(shard, StandardOpenOption.READ);
      }
    } catch (IOException e) {
      closeAll(shards);
      throw e;
    }
    return new TensorBundle(prefix, index.entries(), shards);
  }

  /** Every tensor, in name order. */
  public List<Entry> entries() {
    return entries;
  }

  /**
   * The values of a float32 tensor.
   *
   * @throws BundleFormatException when the tensor is not float32, lies past the end of its data
   *     file or fails its CRC32C check
   */
  public float[] floats(Entry entry) throws IOException {
    requireFloat(entry);
    if (entry.size() > (long) Integer.MAX_VALUE) {
      throw new BundleFormatException("tensor '" + entry.name() + "' is too large for one array");
    }
    ByteBuffer bytes = ByteBuffer.allocate((int) entry.size()).order(ByteOrder.LITTLE_ENDIAN);
    stream(entry, chunk -> bytes.put(chunk));
    bytes.flip();
    float[] values = new float[(int) (entry.size() / 4)];
    bytes.asFloatBuffer().get(values);
    return values;
  }

  /** What {@link #stream} hands the tensor's bytes to, in order. */
  public interface ChunkSink {
    void accept(ByteBuffer chunk) throws IOException;
  }

  /**
   * Hands the tensor's bytes to {@code sink} in chunks of at most 1 MiB, then checks their CRC32C;
   * the sink must treat what it received as void when this throws.
   *
   * @throws BundleFormatException when the bytes lie past the end of the data file or fail the
   *     check, naming the tensor
   */
  public void stream(Entry entry, ChunkSink sink) throws IOException {
    FileChannel shard = shards[entry.shard()];
    if (entry.offset() < 0 || entry.offset() + entry.size() > shard.size()) {
      throw new BundleFormatException(
          "tensor '"
              + entry.name()
              + "' needs bytes up to "
              + (entry.offset() + entry.size())
              + " of a data file of "
              + shard.size()
              + " bytes: the data file is truncated");
    }
    CRC32C crc = new CRC32C();
    ByteBuffer chunk = ByteBuffer.allocate(CHUNK).order(ByteOrder.LITTLE_ENDIAN);
    long position = entry.offset();
    long end = entry.offset() + entry.size();
    while (position < end) {
      chunk.clear().limit((int) Math.min(CHUNK, end - position));
      while (chunk.hasRemaining()) {
        int read = shard.read(chunk, position + chunk.position());
        if (read < 0) {
          throw new BundleFormatException("tensor '" + entry.name() + "': unexpected end of data");
        }
      }
      chunk.flip();
      crc.update(chunk.duplicate());
      sink.accept(chunk);
      position += chunk.limit();
    }
    if ((int) crc.getValue() != entry.crc32c()) {
      throw new BundleFormatException(
          "tensor '"
              + entry.name()
              + "' fails its CRC32C check (stored "
              + Integer.toHexString(entry.crc32c())
              + ", computed "
              + Integer.toHexString((int) crc.getValue())
              + "): "
              + prefix
              + " is damaged");
    }
  }

  @Override
  public void close() throws IOException {
    closeAll(shards);
  }

  private static void requireFloat(Entry entry) throws BundleFormatException {
    if (entry.dtype() != DT_FLOAT) {
      throw new BundleFormatException(
          "tensor '" + entry.name() + "' has dtype " + entry.dtype() + ", not float32");
    }
    if (entry.size() != 4 * entry.elements()) {
      throw new BundleFormatException(
          "tensor '"
              + entry.name()
              + "' holds "
              + entry.size()
              + " bytes for "
              + entry.elements()
              + " float32 values");
    }
  }

  private static void closeAll(FileChannel[] channels) throws IOException {
    for (FileChannel channel : channels) {
      if (channel != null) {
        channel.close();
      }
    }
  }
}
