package dev.kft.checkpoint;

import dev.kft.json.Json;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes tensors as an F32 safetensors file: an 8-byte little-endian header length, a JSON header
 * padded with spaces to a multiple of 8 bytes, then the tensors' bytes in the order given. The file
 * is written beside its target and moved into place, so readers never see half a file.
 */
public final class SafeTensorsWriter {

  private static final int CHUNK_FLOATS = 1 << 18;

  private SafeTensorsWriter() {}

  /** Writes {@code tensors} in their map order. */
  public static void write(Path file, Map<String, TensorData> tensors, Map<String, String> metadata)
      throws IOException {
    Map<String, long[]> shapes = new LinkedHashMap<>();
    tensors.forEach((name, t) -> shapes.put(name, t.shape()));
    ByteBuffer chunk = ByteBuffer.allocate(CHUNK_FLOATS * 4).order(ByteOrder.LITTLE_ENDIAN);
    stream(
        file,
        shapes,
        metadata,
        (name, out) -> {
          float[] values = tensors.get(name).values();
          for (int i = 0; i < values.length; i += CHUNK_FLOATS) {
            int n = Math.min(values.length - i, CHUNK_FLOATS);
            chunk.clear();
            chunk.asFloatBuffer().put(values, i, n);
            chunk.limit(n * 4);
            writeFully(out, chunk);
          }
        });
  }

  /** Writes one tensor's float32 values, little-endian, row-major. */
  public interface TensorBytes {
    void write(String name, WritableByteChannel out) throws IOException;
  }

  /**
   * Writes the tensors named in {@code shapes}, in that order, one at a time from {@code source},
   * so that no more than one tensor need be in memory. When {@code source} throws, no file is left
   * behind.
   */
  public static void stream(
      Path file, Map<String, long[]> shapes, Map<String, String> metadata, TensorBytes source)
      throws IOException {
    Map<String, Object> header = new LinkedHashMap<>();
    if (!metadata.isEmpty()) {
      header.put("__metadata__", metadata);
    }
    long offset = 0;
    for (Map.Entry<String, long[]> t : shapes.entrySet()) {
      long bytes = 4L * TensorData.elementCount(t.getValue());
      Map<String, Object> entry = new LinkedHashMap<>();
      entry.put("dtype", "F32");
      entry.put("shape", t.getValue());
      entry.put("data_offsets", List.of(offset, offset + bytes));
      header.put(t.getKey(), entry);
      offset += bytes;
    }
    byte[] json = Json.mapper().writeValueAsBytes(header);
    int padded = (json.length + 7) / 8 * 8;
    ByteBuffer head = ByteBuffer.allocate(8 + padded).order(ByteOrder.LITTLE_ENDIAN);
    head.putLong(padded).put(json);
    while (head.hasRemaining()) {
      head.put((byte) ' ');
    }
    Path temp = file.resolveSibling(file.getFileName() + ".tmp");
    try (FileChannel out =
        FileChannel.open(
            temp,
            StandardOpenOption.CREATE,
            StandardOpenOption.TRUNCATE_EXISTING,
            StandardOpenOption.WRITE)) {
      head.flip();
      writeFully(out, head);
      for (Map.Entry<String, long[]> t : shapes.entrySet()) {
        long start = out.position();
        source.write(t.getKey(), out);
        long expected = 4L * TensorData.elementCount(t.getValue());
        if (out.position() - start != expected) {
          throw new IOException(
              "tensor '"
                  + t.getKey()
                  + "' wrote "
                  + (out.position() - start)
                  + " bytes, its shape needs "
                  + expected);
        }
      }
      out.force(true);
    } catch (IOException | RuntimeException e) {
      Files.deleteIfExists(temp);
      throw e;
    }
    Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  /** Writes all of {@code buffer}. */
  public static void writeFully(WritableByteChannel out, ByteBuffer buffer) throws IOException {
    while (buffer.hasRemaining()) {
      out.write(buffer);
    }
  }
}
