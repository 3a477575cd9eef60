package dev.kft.checkpoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kft.json.Json;
import dev.kft.testing.PythonReference;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Our safetensors reader and writer agree bit for bit with an independent numpy implementation. */
@Tag("unit")
class SafeTensorsTest {

  @TempDir Path dir;

  private static TensorData random(Random random, long... shape) {
    float[] values = new float[(int) TensorData.elementCount(shape)];
    for (int i = 0; i < values.length; i++) {
      values[i] = (float) random.nextGaussian();
    }
    return new TensorData(shape, values);
  }

  @Test
  @Tag("parity")
  void fileWeWriteIsReadBitExactlyByNumpy() throws Exception {
    Random random = new Random(1);
    Map<String, TensorData> tensors = new LinkedHashMap<>();
    tensors.put("bert.embeddings.word_embeddings.weight", random(random, 7, 3));
    tensors.put("classifier.bias", random(random, 2));
    tensors.put("scalar", new TensorData(new long[0], new float[] {Float.NaN}));
    tensors.put("empty", new TensorData(new long[] {0, 4}, new float[0]));
    Path file = dir.resolve("ours.safetensors");
    SafeTensorsWriter.write(file, tensors, Map.of("format", "pt"));

    JsonNode read =
        Json.mapper()
            .readTree(PythonReference.run("safetensors_interop.py", dir, "read", file.toString()));
    assertEquals(0, read.get("header_length").asLong() % 8, "header padded to 8 bytes");
    assertEquals("pt", read.at("/metadata/format").asText());
    for (Map.Entry<String, TensorData> t : tensors.entrySet()) {
      JsonNode entry = read.at("/tensors/" + t.getKey().replace("/", "~1"));
      assertEquals("F32", entry.get("dtype").asText());
      assertArrayEquals(
          t.getValue().shape(), Json.mapper().treeToValue(entry.get("shape"), long[].class));
      assertEquals(
          HexFormat.of().formatHex(littleEndian(t.getValue().values())),
          entry.get("hex").asText(),
          t.getKey());
    }
  }

  @Test
  @Tag("parity")
  void fileNumpyWritesIsReadBitExactlyByUsWithF16AndBf16Widened() throws Exception {
    Path file = dir.resolve("theirs.safetensors");
    JsonNode expected =
        Json.mapper()
            .readTree(PythonReference.run("safetensors_interop.py", dir, "write", file.toString()));
    try (SafeTensorsReader reader = SafeTensorsReader.open(file)) {
      assertEquals(3, reader.entries().size());
      for (var it = expected.fields(); it.hasNext(); ) {
        var e = it.next();
        TensorData t = reader.read(e.getKey());
        assertArrayEquals(
            Json.mapper().treeToValue(e.getValue().get("shape"), long[].class), t.shape());
        JsonNode bits = e.getValue().get("f32_bits");
        for (int i = 0; i < t.values().length; i++) {
          assertEquals(
              bits.get(i).asLong(),
              Integer.toUnsignedLong(Float.floatToRawIntBits(t.values()[i])),
              e.getKey() + "[" + i + "]");
        }
      }
    }
  }

  @Test
  void tensorsBeyondTwoGigabytesAreRead() throws Exception {
    Path file = dir.resolve("big.safetensors");
    long fillerBytes = 2_400_000_000L;
    String header =
        "{\"filler\":{\"dtype\":\"F32\",\"shape\":[600000000],\"data_offsets\":[0,"
            + fillerBytes
            + "]},\"tail\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":["
            + fillerBytes
            + ","
            + (fillerBytes + 12)
            + "]}}";
    byte[] json = header.getBytes(StandardCharsets.UTF_8);
    // A sparse file: only the header and the tail occupy disk.
    try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
      raf.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(json.length).array());
      raf.write(json);
      raf.seek(8 + json.length + fillerBytes);
      raf.write(littleEndian(new float[] {1.5f, -2f, 3.25f}));
    }
    try (SafeTensorsReader reader = SafeTensorsReader.open(file)) {
      assertArrayEquals(new float[] {1.5f, -2f, 3.25f}, reader.read("tail").values());
    }
  }

  @Test
  void malformedFilesAreRefusedWithTheReason() throws Exception {
    Path file = dir.resolve("bad.safetensors");
    Files.write(file, new byte[] {1, 2, 3});
    assertTrue(
        assertThrows(SafeTensorsException.class, () -> SafeTensorsReader.open(file))
            .getMessage()
            .contains("shorter than 8 bytes"));

    Map<String, TensorData> one = Map.of("w", new TensorData(new long[] {4}, new float[4]));
    SafeTensorsWriter.write(file, one, Map.of());
    byte[] bytes = Files.readAllBytes(file);
    Files.write(file, java.util.Arrays.copyOf(bytes, bytes.length - 1));
    assertTrue(
        assertThrows(SafeTensorsException.class, () -> SafeTensorsReader.open(file))
            .getMessage()
            .contains("tensor w has data offsets [0, 16)"));

    String i64 = "{\"ids\":{\"dtype\":\"I64\",\"shape\":[1],\"data_offsets\":[0,8]}}";
    byte[] json = i64.getBytes(StandardCharsets.UTF_8);
    Files.write(
        file,
        ByteBuffer.allocate(8 + json.length + 8)
            .order(ByteOrder.LITTLE_ENDIAN)
            .putLong(json.length)
            .put(json)
            .array());
    assertTrue(
        assertThrows(SafeTensorsException.class, () -> SafeTensorsReader.open(file))
            .getMessage()
            .contains("has dtype I64; kft reads F32, F16 and BF16 weights"));
  }

  @Test
  void weightCheckListsEveryProblemAtOnce() {
    Map<String, long[]> expected = new LinkedHashMap<>();
    expected.put("a", new long[] {2});
    expected.put("b", new long[] {2, 2});
    expected.put("c", new long[] {1});
    Map<String, TensorData> actual = new LinkedHashMap<>();
    actual.put("b", new TensorData(new long[] {4}, new float[4]));
    actual.put("c", new TensorData(new long[] {1}, new float[1]));
    actual.put("d", new TensorData(new long[] {1}, new float[1]));
    SafeTensorsException e =
        assertThrows(
            SafeTensorsException.class, () -> WeightCheck.requireExactly(expected, actual));
    assertEquals(
        "3 weight problem(s):\n"
            + "  missing tensor a [2]\n"
            + "  tensor b has shape [4], the model needs [2, 2]\n"
            + "  unexpected tensor d",
        e.getMessage());
  }

  /**
   * Values written as BF16 and F16 are the bits PyTorch's casts give (round to nearest, ties to
   * even; float16 subnormals, overflow to infinity, NaN), and read back widened exactly.
   */
  @Test
  @Tag("parity")
  void narrowedFilesHoldPytorchsRounding() throws Exception {
    float[] edges = {
      0f,
      -0f,
      1f,
      1f + 0x1p-8f,
      1f + 0x3p-8f,
      -1f - 0x1p-9f,
      65504f,
      65519.99f,
      65520f,
      -65536f,
      0x1p-14f,
      0x1p-24f,
      0x1p-25f,
      0x3p-25f,
      0x1.8p-24f,
      5.9e-8f,
      1e-40f,
      3.0e38f,
      -3.4e38f,
      Float.MIN_VALUE,
      Float.POSITIVE_INFINITY,
      Float.NEGATIVE_INFINITY,
      Float.NaN
    };
    Random random = new Random(7);
    float[] values = new float[edges.length + 4000];
    System.arraycopy(edges, 0, values, 0, edges.length);
    for (int i = edges.length; i < values.length; i++) {
      // magnitudes from 1e-9 to 1e6: float16's subnormals, normals and overflow all occur
      values[i] = (float) (random.nextGaussian() * Math.pow(10, random.nextInt(16) - 9));
    }
    Map<String, TensorData> tensors =
        Map.of("w", new TensorData(new long[] {values.length}, values));
    Path f32 = dir.resolve("f32.safetensors");
    SafeTensorsWriter.write(f32, tensors, Map.of());
    JsonNode theirs =
        Json.mapper()
            .readTree(PythonReference.run("safetensors_interop.py", dir, "narrow", f32.toString()));
    for (String dtype : new String[] {"BF16", "F16"}) {
      Path file = dir.resolve(dtype + ".safetensors");
      SafeTensorsWriter.write(file, tensors, Map.of("format", "pt"), dtype);
      JsonNode ours =
          Json.mapper()
              .readTree(
                  PythonReference.run("safetensors_interop.py", dir, "read", file.toString()));
      assertEquals(dtype, ours.at("/tensors/w/dtype").asText());
      String expected = theirs.at("/w/" + (dtype.equals("BF16") ? "bf16_hex" : "f16_hex")).asText();
      String actual = ours.at("/tensors/w/hex").asText();
      for (int i = 0; i < values.length; i++) {
        if (Float.isNaN(values[i])) {
          // PyTorch's vectorised and scalar casts disagree on NaN's bits; any NaN will do
          continue;
        }
        assertEquals(
            expected.substring(4 * i, 4 * i + 4),
            actual.substring(4 * i, 4 * i + 4),
            dtype + " of " + values[i] + " (element " + i + ")");
      }
      try (SafeTensorsReader reader = SafeTensorsReader.open(file)) {
        float[] back = reader.read("w").values();
        for (int i = 0; i < values.length; i++) {
          short bits = (short) Integer.parseInt(actual.substring(4 * i, 4 * i + 4), 16);
          short little = (short) (((bits & 0xFF) << 8) | ((bits >>> 8) & 0xFF));
          float widened =
              dtype.equals("BF16")
                  ? Float.intBitsToFloat((little & 0xFFFF) << 16)
                  : Dtype.halfToFloat(little);
          assertEquals(Float.floatToIntBits(widened), Float.floatToIntBits(back[i]));
          assertEquals(Float.isNaN(values[i]), Float.isNaN(back[i]), "NaN stays NaN");
        }
      }
    }
  }

  @Test
  void halfPrecisionWideningIsExact() {
    assertEquals(1.0f, Dtype.halfToFloat((short) 0x3C00));
    assertEquals(-2.0f, Dtype.halfToFloat((short) 0xC000));
    assertEquals(65504f, Dtype.halfToFloat((short) 0x7BFF));
    assertEquals(0x1p-24f, Dtype.halfToFloat((short) 0x0001));
    assertEquals(Float.NEGATIVE_INFINITY, Dtype.halfToFloat((short) 0xFC00));
    assertTrue(Float.isNaN(Dtype.halfToFloat((short) 0x7E00)));
  }

  private static byte[] littleEndian(float[] values) {
    ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    for (float v : values) {
      b.putFloat(v);
    }
    return b.array();
  }
}
