package dev.kft.trainer.training;

import ai.djl.ndarray.NDArray;
import dev.kft.checkpoint.CheckpointDataset;
import dev.kft.checkpoint.ModelExport;
import dev.kft.checkpoint.ModelSource;
import dev.kft.checkpoint.PeftCheckpoint;
import dev.kft.checkpoint.SafeTensorsReader;
import dev.kft.checkpoint.SafeTensorsWriter;
import dev.kft.checkpoint.TensorData;
import dev.kft.events.DatasetPrepared;
import dev.kft.io.FileTrees;
import dev.kft.io.Sha256;
import dev.kft.job.JobIds;
import dev.kft.json.Json;
import dev.kft.nn.BertClassifier;
import java.io.IOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.LongPredicate;
import java.util.stream.Stream;

/**
 * Keeps a job's checkpoints under {@code <root>/<jobId>/checkpoint-<step>/}. Each is a Hugging Face
 * model directory (so the evaluator and registry load it like any model) plus {@code
 * optimizer.safetensors} (AdamW's {@code exp_avg.*} and {@code exp_avg_sq.*} of the trained
 * parameters) and {@code trainer_state.json}. A PEFT job's checkpoints hold only the trained
 * tensors ({@link PeftCheckpoint}) over a base model kept once under {@code
 * <root>/.bases/<sha256>/}. Everything is written in a temporary directory, forced to the disk and
 * renamed into place, so a crash never leaves half of one.
 */
public final class CheckpointStore {

  static final String OPTIMIZER = "optimizer.safetensors";
  static final String STATE = "trainer_state.json";
  private static final String PREFIX = "checkpoint-";
  private static final String BASES = ".bases";

  /**
   * Where a checkpoint was written, the sha256 and size of its weights, whether they are only the
   * trained tensors of a PEFT job, and how long writing it took (zero for one described again).
   */
  public record Saved(
      Path directory,
      long step,
      String sha256,
      long sizeBytes,
      boolean trainableOnly,
      Duration took) {}

  /**
   * Training state besides weights.
   *
   * @param optimizerSteps AdamW's step count (for bias correction)
   * @param lossScaler float16 loss scaling's state, or null for jobs without it
   */
  public record State(
      String jobId,
      long step,
      double epoch,
      long optimizerSteps,
      double trainLoss,
      LossScaler.State lossScaler) {}

  /** A checkpoint read back: its state and optimizer moments by parameter name. */
  public record Restored(
      State state, Map<String, float[]> firstMoments, Map<String, float[]> secondMoments) {}

  private final Path root;

  /** {@code root} is made absolute: paths handed out must not be read against another directory. */
  public CheckpointStore(Path root) {
    this.root = root.toAbsolutePath();
  }

  /** The job's directory; a job id that could leave the root is refused. */
  private Path jobDirectory(String jobId) {
    return root.resolve(JobIds.checked(jobId));
  }

  /** Where a job with a pruned vocabulary keeps that vocabulary's tokenizer files. */
  public Path vocabulary(String jobId) {
    return jobDirectory(jobId).resolve("vocabulary");
  }

  public Path directory(String jobId, long step) {
    return jobDirectory(jobId).resolve(PREFIX + step);
  }

  /**
   * Keeps a PEFT job's base model (as built, with the dataset's labels) once per distinct weights.
   *
   * @return the base, with its absolute directory as {@code path}
   */
  public PeftCheckpoint.Base saveBase(BertClassifier base, Path tokenizerDir, String source)
      throws IOException {
    Path bases = root.resolve(BASES);
    Path temp = bases.resolve(".tmp-" + UUID.randomUUID());
    ModelExport.write(base.config(), base.toTensors(), tokenizerDir, temp);
    String sha256 = Sha256.file(temp.resolve(ModelSource.WEIGHTS));
    Path target = bases.resolve(sha256);
    if (!Files.isDirectory(target)) {
      try {
        FileTrees.sync(temp);
        Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
        FileTrees.force(bases);
      } catch (FileAlreadyExistsException | DirectoryNotEmptyException e) {
        // another trainer kept the same base first
      }
    }
    FileTrees.delete(temp);
    return new PeftCheckpoint.Base(source, target.toAbsolutePath().toString(), sha256);
  }

  /**
   * Writes a checkpoint of {@code model} and {@code optimizer} with the job's dataset report: the
   * whole model, or with {@code peft} (whose base path is absolute) only the trained tensors.
   */
  public Saved save(
      BertClassifier model,
      Path tokenizerDir,
      AdamW optimizer,
      State state,
      DatasetPrepared prepared,
      Optional<PeftCheckpoint.Manifest> peft)
      throws IOException {
    long started = System.nanoTime();
    Path target = directory(state.jobId(), state.step());
    Path temp = target.resolveSibling(".tmp-" + target.getFileName());
    FileTrees.delete(temp);
    if (peft.isPresent()) {
      PeftCheckpoint.Manifest m = peft.get();
      Path base = target.toAbsolutePath().relativize(Path.of(m.base().path()));
      ModelExport.writeWithoutWeights(model.config(), tokenizerDir, temp);
      PeftCheckpoint.write(
          temp,
          new PeftCheckpoint.Manifest(
              m.method(),
              new PeftCheckpoint.Base(m.base().source(), base.toString(), m.base().sha256())),
          model.toTensors(model.trainableParameters()::containsKey));
    } else {
      ModelExport.write(model.config(), model.toTensors(), tokenizerDir, temp);
    }
    Map<String, TensorData> moments = new LinkedHashMap<>();
    optimizer.firstMoments().forEach((n, a) -> moments.put("exp_avg." + n, data(a)));
    optimizer.secondMoments().forEach((n, a) -> moments.put("exp_avg_sq." + n, data(a)));
    SafeTensorsWriter.write(temp.resolve(OPTIMIZER), moments, Map.of("format", "pt"));
    Json.mapper().writerWithDefaultPrettyPrinter().writeValue(temp.resolve(STATE).toFile(), state);
    CheckpointDataset.write(temp, prepared);
    FileTrees.sync(temp);
    FileTrees.delete(target);
    Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
    FileTrees.force(target.getParent());
    Saved saved = describe(target, state.step());
    return new Saved(
        target,
        state.step(),
        saved.sha256(),
        saved.sizeBytes(),
        saved.trainableOnly(),
        Duration.ofNanos(System.nanoTime() - started));
  }

  /** The sha256 and size of an existing checkpoint's weights (a PEFT one's trained tensors). */
  public Saved describe(Path checkpoint, long step) throws IOException {
    Path weights = PeftCheckpoint.weightsOf(checkpoint);
    boolean trainableOnly = weights.getFileName().toString().equals(PeftCheckpoint.WEIGHTS);
    return new Saved(
        checkpoint, step, Sha256.file(weights), Files.size(weights), trainableOnly, Duration.ZERO);
  }

  /** The job's checkpoint with the highest step, if any. */
  public Optional<Path> latest(String jobId) throws IOException {
    return steps(jobId).stream().max(Long::compare).map(s -> directory(jobId, s));
  }

  /** The steps of the job's complete checkpoints. */
  public List<Long> steps(String jobId) throws IOException {
    Path dir = jobDirectory(jobId);
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> children = Files.list(dir)) {
      return children
          .map(p -> p.getFileName().toString())
          .filter(n -> n.startsWith(PREFIX))
          .map(n -> Long.parseLong(n.substring(PREFIX.length())))
          .sorted()
          .toList();
    }
  }

  public Restored restore(Path checkpoint) throws IOException {
    State state = Json.mapper().readValue(checkpoint.resolve(STATE).toFile(), State.class);
    Map<String, float[]> first = new LinkedHashMap<>();
    Map<String, float[]> second = new LinkedHashMap<>();
    try (SafeTensorsReader reader = SafeTensorsReader.open(checkpoint.resolve(OPTIMIZER))) {
      for (String name : reader.entries().keySet()) {
        float[] values = reader.read(name).values();
        if (name.startsWith("exp_avg_sq.")) {
          second.put(name.substring("exp_avg_sq.".length()), values);
        } else {
          first.put(name.substring("exp_avg.".length()), values);
        }
      }
    }
    return new Restored(state, first, second);
  }

  /**
   * Deletes the oldest checkpoints beyond {@code keep}, never the latest nor those {@code spare}
   * says to keep (the best so far, those not evaluated yet).
   */
  public void prune(String jobId, int keep, LongPredicate spare) throws IOException {
    List<Long> steps = steps(jobId);
    long latest = steps.isEmpty() ? -1 : steps.get(steps.size() - 1);
    int excess = steps.size() - keep;
    for (long step : steps) {
      if (excess <= 0) {
        return;
      }
      if (step != latest && !spare.test(step)) {
        FileTrees.delete(directory(jobId, step));
        excess--;
      }
    }
  }

  private static TensorData data(NDArray a) {
    return new TensorData(a.getShape().getShape(), a.toFloatArray());
  }
}
