package dev.kft.checkpoint;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kft.json.Json;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads a safetensors file: the JSON header at open, each tensor on demand through a memory map of
 * its own byte range, so files of any size (beyond 2 GB) can be read tensor by tensor. F32, F16 and
 * BF16 tensors are returned as F32 values.
 */
public final class SafeTensorsReader implements AutoCloseable {

  /** Where one tensor lies and how it is stored. */
  public record Entry(String dtype, long[] shape, long begin, long end) {}

  private static final long MAX_HEADER = 100L << 20;

  private final Path file;
  private final FileChannel channel;
  private final long dataStart;
  private final Map<String, Entry> entries;
  private final Map<String, String> metadata;

  private SafeTensorsReader(
      Path file,
      FileChannel channel,
      long dataStart,
      Map<String, Entry> entries,
      Map<String, String> metadata) {
    this.file = file;
    this.channel = channel;
    this.dataStart = dataStart;
    this.entries = entries;
    this.metadata = metadata;
  }

  /** Opens a file and reads its header; every entry is checked to lie inside the file. */
  public static SafeTensorsReader open(Path file) throws IOException {
    FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
    try {
      long size = channel.size();
      ByteBuffer prefix = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
      if (size < 8 || channel.read(prefix, 0) != 8) {
        throw new SafeTensorsException(file + ": not a safetensors file (shorter than 8 bytes)");
      }
      long headerLength = prefix.getLong(0);
      if (headerLength <= 0 || headerLength > MAX_HEADER || 8 + headerLength > size) {
        throw new SafeTensorsException(
            file + ": not a safetensors file (header length " + headerLength + ")");
      }
      ByteBuffer header = ByteBuffer.allocate((int) headerLength);
      channel.read(header, 8);
      JsonNode json =
          Json.mapper().readTree(new String(header.array(), StandardCharsets.UTF_8).trim());
      long dataStart = 8 + headerLength;
      Map<String, String> metadata = new LinkedHashMap<>();
      Map<String, Entry> entries = parseEntries(file, json, size - dataStart, metadata);
      return new SafeTensorsReader(file, channel, dataStart, entries, metadata);
    } catch (IOException | RuntimeException e) {
      channel.close();
      throw e;
    }
  }

  private static Map<String, Entry> parseEntries(
      Path file, JsonNode json, long dataSize, Map<String, String> metadata) {
    Map<String, Entry> entries = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = json.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> field = it.next();
      if (field.getKey().equals("__metadata__")) {
        field
            .getValue()
            .fields()
            .forEachRemaining(m -> metadata.put(m.getKey(), m.getValue().asText()));
        continue;
      }
      JsonNode node = field.getValue();
      String dtype = node.path("dtype").asText();
      long[] shape = new long[node.path("shape").size()];
      for (int i = 0; i < shape.length; i++) {
        shape[i] = node.path("shape").get(i).asLong();
      }
      long begin = node.path("data_offsets").path(0).asLong(-1);
      long end = node.path("data_offsets").path(1).asLong(-1);
      long expected = TensorData.elementCount(shape) * Dtype.bytes(dtype, file, field.getKey());
      if (begin < 0 || end > dataSize || end - begin != expected) {
        throw new SafeTensorsException(
            file
                + ": tensor "
                + field.getKey()
                + " has data offsets ["
                + begin
                + ", "
                + end
                + ") that do not fit its "
                + dtype
                + " shape or the file");
      }
      entries.put(field.getKey(), new Entry(dtype, shape, begin, end));
    }
    return entries;
  }

  /** Tensor names and entries, in header order. */
  public Map<String, Entry> entries() {
    return Collections.unmodifiableMap(entries);
  }

  /** The {@code __metadata__} strings of the header. */
  public Map<String, String> metadata() {
    return Collections.unmodifiableMap(metadata);
  }

  /** Reads one tensor, widening F16 and BF16 to F32. */
  public TensorData read(String name) throws IOException {
    Entry entry = entries.get(name);
    if (entry == null) {
      throw new SafeTensorsException(file + ": no tensor named " + name);
    }
    long length = entry.end() - entry.begin();
    float[] values = new float[(int) (length / Dtype.bytes(entry.dtype(), file, name))];
    // One mapping per tensor: a single tensor never exceeds 2 GB, a whole file may.
    ByteBuffer buffer =
        channel
            .map(FileChannel.MapMode.READ_ONLY, dataStart + entry.begin(), length)
            .order(ByteOrder.LITTLE_ENDIAN);
    Dtype.decode(entry.dtype(), buffer, values);
    return new TensorData(entry.shape().clone(), values);
  }

  /** Reads every tensor, in header order. */
  public Map<String, TensorData> readAll() throws IOException {
    Map<String, TensorData> tensors = new LinkedHashMap<>();
    for (String name : entries.keySet()) {
      tensors.put(name, read(name));
    }
    return tensors;
  }

  @Override
  public void close() throws IOException {
    channel.close();
  }
}
