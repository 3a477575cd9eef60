package dev.kft.text;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.huggingface.tokenizers.jni.TokenizersLibrary;
import com.fasterxml.jackson.databind.JsonNode;
import dev.kft.batch.Split;
import dev.kft.batch.TokenizedBatch;
import dev.kft.json.Json;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Tokenizes texts as training saw them, with a Hugging Face {@code tokenizer.json}: special tokens
 * added, sequences truncated to {@code max_length} (pairs longest-first, as transformers does), and
 * the length before truncation kept for the report.
 */
public final class Encoder implements AutoCloseable {

  /**
   * One tokenized example.
   *
   * @param fullLength tokens before truncation
   * @param unknown how many tokens are the unknown token
   */
  public record Encoded(int[] ids, byte[] typeIds, int fullLength, int unknown) {}

  private static final int CHUNK = 2048;

  private final HuggingFaceTokenizer whole;
  private final HuggingFaceTokenizer truncating;
  private final int maxLength;
  private final int unknownId;
  private final int padId;

  public Encoder(Path tokenizerJson, int maxLength) throws IOException {
    this.maxLength = maxLength;
    this.whole =
        HuggingFaceTokenizer.builder()
            .optTokenizerPath(tokenizerJson)
            .optAddSpecialTokens(true)
            .optTruncation(false)
            .optPadding(false)
            .build();
    this.truncating =
        HuggingFaceTokenizer.builder()
            .optTokenizerPath(tokenizerJson)
            .optAddSpecialTokens(true)
            .optTruncation(true)
            .optMaxLength(maxLength)
            .optPadding(false)
            .build();
    JsonNode json = Json.mapper().readTree(tokenizerJson.toFile());
    JsonNode vocab = json.path("model").path("vocab");
    this.unknownId = vocab.path(json.path("model").path("unk_token").asText("[UNK]")).asInt(-1);
    this.padId = json.path("padding").path("pad_id").asInt(vocab.path("[PAD]").asInt(0));
  }

  /** The id padding positions carry. */
  public int padId() {
    return padId;
  }

  /** Tokenizes texts, keeping their order; the native batch call uses every core itself. */
  public List<Encoded> encode(List<? extends Text> examples) {
    List<Encoded> out = new ArrayList<>(examples.size());
    for (int start = 0; start < examples.size(); start += CHUNK) {
      out.addAll(encodeChunk(examples.subList(start, Math.min(examples.size(), start + CHUNK))));
    }
    return out;
  }

  private List<Encoded> encodeChunk(List<? extends Text> chunk) {
    String[] texts = chunk.stream().map(Text::text).toArray(String[]::new);
    // Straight to the native library: DJL's Encoding objects also copy tokens, offsets and masks
    // for every example, which took most of the time here.
    long[] handles =
        chunk.get(0).pair() == null
            ? TokenizersLibrary.LIB.batchEncode(whole.getHandle(), texts, true)
            : TokenizersLibrary.LIB.batchEncodePair(
                whole.getHandle(),
                texts,
                chunk.stream().map(Text::pair).toArray(String[]::new),
                true);
    List<Encoded> out = new ArrayList<>(chunk.size());
    for (int i = 0; i < handles.length; i++) {
      try {
        out.add(
            fit(
                TokenizersLibrary.LIB.getTokenIds(handles[i]),
                TokenizersLibrary.LIB.getTypeIds(handles[i]),
                chunk.get(i)));
      } finally {
        TokenizersLibrary.LIB.deleteEncoding(handles[i]);
      }
    }
    return out;
  }

  private Encoded fit(long[] ids, long[] types, Text example) {
    int full = ids.length;
    if (full > maxLength) {
      if (example.pair() == null) {
        // Keep the first max_length - 1 tokens and the closing [SEP], as truncation does.
        long last = ids[full - 1];
        ids = Arrays.copyOf(ids, maxLength);
        ids[maxLength - 1] = last;
        types = Arrays.copyOf(types, maxLength);
      } else {
        Encoding cut = truncating.encode(example.text(), example.pair());
        ids = cut.getIds();
        types = cut.getTypeIds();
      }
    }
    int[] intIds = new int[ids.length];
    byte[] byteTypes = new byte[ids.length];
    int unknown = 0;
    for (int i = 0; i < ids.length; i++) {
      intIds[i] = (int) ids[i];
      byteTypes[i] = (byte) types[i];
      unknown += ids[i] == unknownId ? 1 : 0;
    }
    return new Encoded(intIds, byteTypes, full, unknown);
  }

  /**
   * Encoded inputs as one batch padded to the longest of them, as evaluation batches are (no
   * labels: inputs to classify).
   */
  public TokenizedBatch padded(List<Encoded> encoded) {
    int rows = encoded.size();
    int seq = encoded.stream().mapToInt(e -> e.ids().length).max().orElse(0);
    int[] ids = new int[rows * seq];
    Arrays.fill(ids, padId);
    byte[] mask = new byte[rows * seq];
    byte[] types = new byte[rows * seq];
    for (int r = 0; r < rows; r++) {
      Encoded e = encoded.get(r);
      System.arraycopy(e.ids(), 0, ids, r * seq, e.ids().length);
      System.arraycopy(e.typeIds(), 0, types, r * seq, e.typeIds().length);
      Arrays.fill(mask, r * seq, r * seq + e.ids().length, (byte) 1);
    }
    return new TokenizedBatch(
        "predict", Split.TEST, 0, rows, seq, ids, mask, types, new int[rows], new int[rows]);
  }

  @Override
  public void close() {
    whole.close();
    truncating.close();
  }
}
