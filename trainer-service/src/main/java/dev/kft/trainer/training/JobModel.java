package dev.kft.trainer.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.kft.checkpoint.ModelSource;
import dev.kft.checkpoint.PeftCheckpoint;
import dev.kft.checkpoint.PretrainedWeights;
import dev.kft.checkpoint.TensorData;
import dev.kft.checkpoint.VocabularyPruning;
import dev.kft.events.DatasetPrepared;
import dev.kft.events.ParameterCount;
import dev.kft.job.JobSpec;
import dev.kft.job.ModelInit;
import dev.kft.job.ModelSpec;
import dev.kft.model.ModelLoader;
import dev.kft.nn.BertClassifier;
import dev.kft.peft.Peft;
import dev.kft.peft.PeftMethod;
import dev.kft.peft.PromptTuning;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The model a job trains: built from the job's base model (or its latest checkpoint), with the PEFT
 * method's tensors added when the job names one, and only the method's parameters marked trainable
 * (the frozen ones get no gradients at all).
 *
 * @param tokenizerDir where the tokenizer files are copied from into checkpoints
 * @param peft what the job's checkpoints record about the method and base; empty for full
 *     fine-tuning
 * @param trainable the trained parameters, by name
 * @param unusedWeights the checkpoint's tensors the model leaves out, grouped
 */
public record JobModel(
    BertClassifier model,
    Path tokenizerDir,
    Optional<PeftCheckpoint.Manifest> peft,
    ParameterCount parameters,
    Map<String, NDArray> trainable,
    List<String> unusedWeights) {

  /**
   * Builds the job's model in {@code manager}.
   *
   * @param latest the job's latest checkpoint, to resume from
   * @throws IllegalArgumentException naming a method setting that does not fit the model
   */
  public static JobModel build(
      ModelLoader loader,
      CheckpointStore store,
      DatasetPrepared prepared,
      Optional<Path> latest,
      NDManager manager)
      throws IOException {
    JobSpec spec = prepared.spec();
    ModelSpec m = spec.model();
    // A resumed checkpoint already has the pruned vocabulary and its tokenizer.
    Optional<DatasetPrepared.Vocabulary> pruned =
        Optional.ofNullable(prepared.vocabulary()).filter(v -> latest.isEmpty());
    ModelLoader.Loaded loaded =
        loader.load(
            new ModelLoader.Request(
                latest.map(Path::toString).orElse(m.source()),
                latest.isPresent() || m.init() == ModelInit.PRETRAINED,
                m.configOverrides(),
                prepared.labelNames(),
                spec.training().seed(),
                pruned.map(DatasetPrepared.Vocabulary::keptIds).orElse(null)),
            manager);
    Path tokenizerDir =
        pruned.isPresent()
            ? prunedTokenizer(loader, store, prepared, pruned.get())
            : loaded.directory();
    BertClassifier model = loaded.model();
    Optional<PeftCheckpoint.Manifest> manifest = loaded.peft();
    Optional<PeftMethod> method;
    if (manifest.isPresent()) {
      method = Peft.of(manifest.get().method(), model.config(), null);
      manifest = Optional.of(absolute(manifest.get(), latest.orElseThrow()));
    } else {
      method = Peft.of(spec.method(), model.config(), tokenizerDir.resolve(ModelSource.TOKENIZER));
      if (method.isPresent()) {
        manifest = Optional.of(start(store, loaded.model(), tokenizerDir, method.get(), prepared));
      }
    }
    model.requireGradients(name -> method.map(p -> p.trains(name)).orElse(true));
    long all = model.parameters().values().stream().mapToLong(NDArray::size).sum();
    ParameterCount count =
        method.map(p -> p.count(model.config())).orElse(new ParameterCount(all, all));
    return new JobModel(
        model,
        tokenizerDir,
        manifest,
        count,
        model.trainableParameters(),
        latest.isPresent() ? List.of() : PretrainedWeights.grouped(loaded.unused()));
  }

  /** Writes the pruned vocabulary's tokenizer files for the job and says where they are. */
  private static Path prunedTokenizer(
      ModelLoader loader,
      CheckpointStore store,
      DatasetPrepared prepared,
      DatasetPrepared.Vocabulary vocabulary)
      throws IOException {
    ModelSpec m = prepared.spec().model();
    Path source = loader.tokenizer(m.source(), m.tokenizer());
    Path target = store.vocabulary(prepared.jobId());
    VocabularyPruning.tokenizer(source, vocabulary.keptIds()).write(source.getParent(), target);
    return target;
  }

  /**
   * A resumed checkpoint's manifest with its base path, relative to the checkpoint, made absolute.
   */
  private static PeftCheckpoint.Manifest absolute(PeftCheckpoint.Manifest m, Path checkpoint) {
    PeftCheckpoint.Base base = m.base();
    Path path = checkpoint.resolve(base.path()).normalize().toAbsolutePath();
    return new PeftCheckpoint.Manifest(
        m.method(), new PeftCheckpoint.Base(base.source(), path.toString(), base.sha256()));
  }

  /** Keeps the base, then adds the method's freshly initialised tensors to the model. */
  private static PeftCheckpoint.Manifest start(
      CheckpointStore store,
      BertClassifier model,
      Path tokenizerDir,
      PeftMethod method,
      DatasetPrepared prepared)
      throws IOException {
    JobSpec spec = prepared.spec();
    if (method instanceof PromptTuning prompt) {
      prompt.requireFits(spec.model().maxLength());
    }
    PeftCheckpoint.Base base = store.saveBase(model, tokenizerDir, spec.model().source());
    Map<String, NDArray> parameters = model.parameters();
    model.extend(
        method.init(
            spec.training().seed(),
            name ->
                new TensorData(
                    parameters.get(name).getShape().getShape(),
                    parameters.get(name).toFloatArray())),
        method::bind);
    return new PeftCheckpoint.Manifest(spec.method(), base);
  }
}
