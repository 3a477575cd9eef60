package dev.kft.checkpoint;

import dev.kft.json.Json;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
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

  public static void write(Path file, Map<String, TensorData> tensors, Map<String, String> metadata)
      throws IOException {
    Map<String, Object> header = new LinkedHashMap<>();
    if (!metadata.isEmpty()) {
      header.put("__metadata__", metadata);
    }
    long offset = 0;
    for (Map.Entry<String, TensorData> t : tensors.entrySet()) {
      long bytes = 4L * t.getValue().values().length;
      header.put(
          t.getKey(),
          Map.of(
              "dtype",
              "F32",
              "shape",
              t.getValue().shape(),
              "data_offsets",
              List.of(offset, offset + bytes)));
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
      ByteBuffer chunk = ByteBuffer.allocate(CHUNK_FLOATS * 4).order(ByteOrder.LITTLE_ENDIAN);
      for (TensorData t : tensors.values()) {
        float[] values = t.values();
        for (int i = 0; i < values.length; i += CHUNK_FLOATS) {
          int n = Math.min(values.length - i, CHUNK_FLOATS);
          chunk.clear();
          chunk.asFloatBuffer().put(values, i, n);
          chunk.limit(n * 4);
          writeFully(out, chunk);
        }
      }
      out.force(true);
    }
    Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  private static void writeFully(FileChannel out, ByteBuffer buffer) throws IOException {
    while (buffer.hasRemaining()) {
      out.write(buffer);
    }
  }
}
