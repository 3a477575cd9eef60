package dev.kft.nn;

import dev.kft.batch.Split;
import dev.kft.batch.TokenizedBatch;
import dev.kft.checkpoint.BertConfig;
import dev.kft.json.Json;
import java.util.Random;

/** Small members of the BERT family and batches for them, shared by the model tests. */
public final class TinyBert {

  private TinyBert() {}

  /** A config of the given size with {@code labels} classes. */
  public static BertConfig config(
      int vocab, int hidden, int layers, int heads, int labels, double std) {
    var json = Json.mapper().createObjectNode();
    json.put("vocab_size", vocab);
    json.put("hidden_size", hidden);
    json.put("num_hidden_layers", layers);
    json.put("num_attention_heads", heads);
    json.put("intermediate_size", hidden * 4);
    json.put("max_position_embeddings", 64);
    json.put("type_vocab_size", 2);
    json.put("initializer_range", std);
    json.put("num_labels", labels);
    return BertConfig.parse(json);
  }

  /** A batch with padding in every row but the first and a second segment in some rows. */
  public static TokenizedBatch batch(int rows, int seq, int vocab, long seed) {
    Random random = new Random(seed);
    int[] ids = new int[rows * seq];
    byte[] mask = new byte[rows * seq];
    byte[] types = new byte[rows * seq];
    for (int r = 0; r < rows; r++) {
      int length = r == 0 ? seq : 2 + random.nextInt(seq - 2);
      int second = length / 2 + random.nextInt(2) * length;
      for (int c = 0; c < length; c++) {
        ids[r * seq + c] = c == 0 ? 101 % vocab : 1 + random.nextInt(vocab - 1);
        mask[r * seq + c] = 1;
        types[r * seq + c] = (byte) (c >= second ? 1 : 0);
      }
    }
    return new TokenizedBatch(
        "tiny",
        Split.TRAIN,
        0,
        rows,
        seq,
        ids,
        mask,
        types,
        random.ints(rows, 0, 2).toArray(),
        new int[rows]);
  }
}
