package dev.kft.inference.domain;

import ai.djl.ndarray.NDManager;
import dev.kft.checkpoint.BertConfig;
import dev.kft.checkpoint.ModelSource;
import dev.kft.json.Json;
import dev.kft.model.ExportedModel;
import dev.kft.nn.BertClassifier;
import dev.kft.nn.Inference;
import dev.kft.text.Encoder;
import dev.kft.text.Encoder.Encoded;
import dev.kft.text.Text;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * One registered version loaded for predictions: its exported directory's weights, labels and
 * tokenizer, with inputs truncated to the {@code model_max_length} the job trained with. One
 * prediction runs at a time on it; each uses the machine's cores itself.
 */
public final class Classifier implements AutoCloseable {

  /** A label and its probability. */
  public record Score(String label, double score) {}

  private final NDManager manager;
  private final BertClassifier model;
  private final Encoder encoder;
  private final List<String> labels;
  private final Inference inference;
  private final long sizeBytes;
  private boolean closed;

  private Classifier(
      NDManager manager, BertClassifier model, Encoder encoder, int batchSize, long sizeBytes) {
    this.manager = manager;
    this.model = model;
    this.encoder = encoder;
    this.labels = model.config().labels();
    this.inference = new Inference(model, batchSize);
    this.sizeBytes = sizeBytes;
  }

  /**
   * Loads the exported directory {@code dir}: full fine-tuning, LoRA (merged), prompt tuning and
   * bottleneck adapters (over their base).
   *
   * @throws UnsupportedModelException for a version whose adapter kft does not know
   */
  public static Classifier load(Path dir, int batchSize) throws IOException {
    BertConfig config = BertConfig.read(dir.resolve(ModelSource.CONFIG));
    NDManager manager = NDManager.newBaseManager();
    try {
      BertClassifier model = ExportedModel.load(dir, manager);
      Encoder encoder = new Encoder(dir.resolve(ModelSource.TOKENIZER), maxLength(dir, config));
      return new Classifier(
          manager, model, encoder, batchSize, Files.size(dir.resolve(ModelSource.WEIGHTS)));
    } catch (UnsupportedOperationException e) {
      manager.close();
      throw new UnsupportedModelException(e.getMessage());
    } catch (IOException | RuntimeException e) {
      manager.close();
      throw e;
    }
  }

  /** The tokens per input the job trained with; the model's positions for older exports. */
  private static int maxLength(Path dir, BertConfig config) throws IOException {
    Path file = dir.resolve("tokenizer_config.json");
    int positions = config.maxPositionEmbeddings();
    if (!Files.isRegularFile(file)) {
      return positions;
    }
    int length = Json.mapper().readTree(file.toFile()).path("model_max_length").asInt(positions);
    return Math.min(Math.max(2, length), positions);
  }

  /** Bytes of the version's weights. */
  public long sizeBytes() {
    return sizeBytes;
  }

  public List<String> labels() {
    return labels;
  }

  /**
   * Per input, its labels with their probabilities, most probable first.
   *
   * @param topK how many labels to give per input, or null for all
   * @throws IllegalStateException when the version was unloaded meanwhile (load it again)
   */
  public synchronized List<List<Score>> predict(List<? extends Text> inputs, Integer topK) {
    if (closed) {
      throw new IllegalStateException("unloaded");
    }
    List<Encoded> encoded = encoder.encode(inputs);
    Inference.Result out = inference.run(encoder.padded(encoded));
    int k = topK == null ? labels.size() : Math.min(topK, labels.size());
    List<List<Score>> predictions = new ArrayList<>(inputs.size());
    for (float[] probabilities : out.probabilities()) {
      List<Score> scores = new ArrayList<>(labels.size());
      for (int label = 0; label < labels.size(); label++) {
        scores.add(new Score(labels.get(label), probabilities[label]));
      }
      scores.sort(Comparator.comparingDouble(Score::score).reversed());
      predictions.add(List.copyOf(scores.subList(0, k)));
    }
    return predictions;
  }

  @Override
  public synchronized void close() {
    if (!closed) {
      closed = true;
      encoder.close();
      model.close();
      manager.close();
    }
  }
}
