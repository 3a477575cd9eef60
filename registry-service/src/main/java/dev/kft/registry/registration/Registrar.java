package dev.kft.registry.registration;

import dev.kft.checkpoint.CheckpointDataset;
import dev.kft.events.DatasetPrepared;
import dev.kft.events.ModelCandidate;
import dev.kft.events.TrainingFinished.Reason;
import dev.kft.io.ConfinedPaths;
import dev.kft.job.JobSpec;
import dev.kft.job.TrainingSpec;
import dev.kft.registry.domain.ApprovalRule;
import dev.kft.registry.domain.JobStatus;
import dev.kft.registry.domain.Lineage;
import dev.kft.registry.domain.ModelCard;
import dev.kft.registry.domain.ModelVersion;
import dev.kft.registry.domain.TrackedJob;
import dev.kft.registry.domain.VersionExport;
import dev.kft.registry.domain.VersionPictures;
import dev.kft.registry.persistence.JobRepository;
import dev.kft.registry.persistence.ModelRepository;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Turns a {@code ModelCandidate} into a model version: checks the job's approval rules, registers
 * the version (numbered per model, one per job), exports it in Hugging Face layout with a model
 * card, verifies its sha256, marks it {@code READY} and points the job's aliases at it. A candidate
 * delivered again registers nothing new but finishes a registration a crash interrupted; a {@code
 * READY} version is never written again.
 */
public final class Registrar {

  private static final Logger LOG = Logger.getLogger(Registrar.class);

  private final ModelRepository models;
  private final JobRepository jobs;
  private final ConfinedPaths artifacts;
  private final Path modelRoot;

  public Registrar(
      ModelRepository models, JobRepository jobs, ConfinedPaths artifacts, Path modelRoot) {
    this.models = models;
    this.jobs = jobs;
    this.artifacts = artifacts;
    this.modelRoot = modelRoot;
  }

  /**
   * Handles one candidate: registers and exports it, or finishes a registration a crash
   * interrupted; a job whose version is already {@code READY} (or failed) keeps it, whatever
   * candidate comes. The facts to publish on {@code kft.models} go to the outbox with the version's
   * state.
   */
  public void register(ModelCandidate candidate) throws SQLException {
    jobs.record(candidate);
    Optional<ModelVersion> existing = models.byJob(candidate.jobId());
    if (existing.isPresent() && !existing.get().status().equals("PENDING_REGISTRATION")) {
      ModelVersion v = existing.get();
      LOG.infof(
          "job %s: already registered as %s v%d (%s); candidate %s ignored",
          candidate.jobId(), v.name(), v.version(), v.status(), candidate.eventId());
      if (v.status().equals("READY")) {
        jobs.end(candidate.jobId(), finalStatus(candidate), null);
      }
      return;
    }
    DatasetPrepared prepared;
    Path checkpoint;
    try {
      checkpoint = artifacts.resolve(candidate.checkpointUri());
      prepared = CheckpointDataset.read(checkpoint);
    } catch (IOException | RuntimeException e) {
      jobs.end(candidate.jobId(), JobStatus.FAILED, "registry cannot read the candidate: " + e);
      return;
    }
    JobSpec spec = prepared.spec();
    Map<String, Double> metrics = new LinkedHashMap<>(candidate.evalMetrics());
    metrics.putAll(candidate.testMetrics());
    List<String> failures = ApprovalRule.failures(spec.registry().approval(), metrics);
    if (!failures.isEmpty()) {
      jobs.end(
          candidate.jobId(),
          JobStatus.NOT_APPROVED,
          "not approved: " + String.join("; ", failures));
      return;
    }
    ModelVersion version = models.register(newVersion(candidate, prepared, checkpoint));
    export(candidate, prepared, checkpoint, version);
  }

  private void export(
      ModelCandidate candidate, DatasetPrepared prepared, Path checkpoint, ModelVersion version)
      throws SQLException {
    String name = version.name();
    Path target = modelRoot.resolve(name).resolve(String.valueOf(version.version()));
    VersionExport.Exported exported;
    try {
      Map<String, String> pictures =
          VersionPictures.render(
              candidate, jobs.get(candidate.jobId()).map(TrackedJob::metrics).orElse(List.of()));
      exported =
          VersionExport.write(
              checkpoint,
              target.toAbsolutePath(),
              candidate.checkpointSha256(),
              ModelCard.render(name, version.version(), candidate, prepared, pictures.keySet()),
              pictures,
              new VersionExport.Format(
                  prepared.maxLength(),
                  prepared.spec().training().saveDtype(),
                  precision(prepared.spec().training())),
              candidate.testPredictionsUri() == null
                  ? null
                  : artifacts.resolve(candidate.testPredictionsUri()));
    } catch (IOException | RuntimeException e) {
      String message = "export failed: " + e.getMessage();
      LOG.warnf("job %s: %s", candidate.jobId(), message);
      models.failed(name, version.version(), message);
      jobs.end(candidate.jobId(), JobStatus.FAILED, "registry " + message);
      return;
    }
    models.ready(
        new ModelRepository.Ready(
            name,
            version.version(),
            candidate.jobId(),
            exported.directory().toUri().toString(),
            exported.archive().toUri().toString(),
            exported.sha256(),
            exported.sizeBytes(),
            exported.archiveSha256(),
            prepared.spec().registry().aliases()));
    jobs.end(candidate.jobId(), finalStatus(candidate), null);
  }

  /** The job's precision by the spec's key: {@code bf16}, {@code fp16} or {@code float32}. */
  private static String precision(TrainingSpec training) {
    return training.bf16() ? "bf16" : training.fp16() ? "fp16" : "float32";
  }

  private static JobStatus finalStatus(ModelCandidate candidate) {
    return candidate.finished() == Reason.EARLY_STOPPED
        ? JobStatus.EARLY_STOPPED
        : JobStatus.COMPLETED;
  }

  private static ModelRepository.NewVersion newVersion(
      ModelCandidate c, DatasetPrepared prepared, Path checkpoint) {
    JobSpec spec = prepared.spec();
    Lineage lineage = new Lineage(prepared, c, spec.model().source(), checkpoint.toString());
    return new ModelRepository.NewVersion(
        spec.registry().modelName(),
        spec.registry().description(),
        spec.registry().tags(),
        c.jobId(),
        c.checkpointUri(),
        spec.method().type(),
        c.parameters(),
        c.datasetSha256(),
        c.evalMetrics(),
        c.testMetrics(),
        lineage);
  }
}
