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
 * Writes tensors as a safetensors file (F32 unless asked for BF16 or F16): an 8-byte little-endian
 * header length, a JSON header padded with spaces to a multiple of 8 bytes, then the tensors' bytes
 * in the order given. The file is written beside its target and moved into place, so readers never
 * see half a file.
 */
public final class SafeTensorsWriter {

  private static final int CHUNK_FLOATS = 1 << 18;

  private SafeTensorsWriter() {}

  /** Writes {@code tensors} in their map order, as F32. */
  public static void write(Path file, Map<String, TensorData> tensors, Map<String, String> metadata)
      throws IOException {
    write(file, tensors, metadata, "F32");
  }

  /**
   * Writes {@code tensors} in their map order as {@code dtype} ({@code F32}, {@code BF16} or {@code
   * F16}), each value rounded to the nearest of the type, ties to even.
   */
  public static void write(
      Path file, Map<String, TensorData> tensors, Map<String, String> metadata, String dtype)
      throws IOException {
    Map<String, long[]> shapes = new LinkedHashMap<>();
    tensors.forEach((name, t) -> shapes.put(name, t.shape()));
    int width = elementBytes(dtype);
    ByteBuffer chunk = ByteBuffer.allocate(CHUNK_FLOATS * width).order(ByteOrder.LITTLE_ENDIAN);
    stream(
        file,
        dtype,
        shapes,
        metadata,
        (name, out) -> {
          float[] values = tensors.get(name).values();
          for (int i = 0; i < values.length; i += CHUNK_FLOATS) {
            int n = Math.min(values.length - i, CHUNK_FLOATS);
            chunk.clear();
            Dtype.encode(dtype, values, i, n, chunk);
            chunk.flip();
            writeFully(out, chunk);
          }
        });
  }

  private static int elementBytes(String dtype) {
    return switch (dtype) {
      case "F32" -> 4;
      case "BF16", "F16" -> 2;
      default -> throw new IllegalArgumentException("kft writes F32, BF16 and F16, not " + dtype);
    };
  }

  /** Writes one tensor's values in the file's element type, little-endian, row-major. */
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
    stream(file, "F32", shapes, metadata, source);
  }

  private static void stream(
      Path file,
      String dtype,
      Map<String, long[]> shapes,
      Map<String, String> metadata,
      TensorBytes source)
      throws IOException {
    int width = elementBytes(dtype);
    Map<String, Object> header = new LinkedHashMap<>();
    if (!metadata.isEmpty()) {
      header.put("__metadata__", metadata);
    }
    long offset = 0;
    for (Map.Entry<String, long[]> t : shapes.entrySet()) {
      long bytes = width * TensorData.elementCount(t.getValue());
      Map<String, Object> entry = new LinkedHashMap<>();
      entry.put("dtype", dtype);
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
        long expected = width * TensorData.elementCount(t.getValue());
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
