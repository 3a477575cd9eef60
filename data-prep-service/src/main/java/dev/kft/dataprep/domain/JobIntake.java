package dev.kft.dataprep.domain;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kft.events.Event;
import dev.kft.events.EventDeserializer;
import dev.kft.events.SubmitJob;
import dev.kft.job.JobIds;
import dev.kft.job.JobSpec;
import dev.kft.job.JobSpecs;
import dev.kft.job.Problem;
import dev.kft.job.ValidatedSpec;
import java.util.List;
import java.util.Optional;

/**
 * Decides what becomes of a record on {@code kft.jobs}: a valid job is accepted, an invalid spec is
 * rejected with every problem, and a payload that is not a {@link SubmitJob} at all is unreadable
 * and belongs in the dead-letter topic.
 */
public final class JobIntake {

  private final EventDeserializer deserializer = new EventDeserializer();

  /** What became of one record. */
  public sealed interface Outcome {
    /** The job id the outcome is about, or null when none could be found. */
    String jobId();
  }

  /** The spec is valid; {@code spec} has every default filled in. */
  public record Accepted(String jobId, SubmitJob command, JobSpec spec, List<Problem> warnings)
      implements Outcome {}

  /** The spec has problems; the job must not run. */
  public record Rejected(String jobId, SubmitJob command, List<Problem> problems)
      implements Outcome {}

  /** The payload is not a usable {@code SubmitJob}; {@code jobId} is the record key, if any. */
  public record Unreadable(String jobId, String error) implements Outcome {}

  /**
   * Reads one record of {@code kft.jobs}.
   *
   * @param key the record key (the job id, when the client followed the contract)
   * @param payload the record value
   */
  public Outcome read(String key, byte[] payload) {
    String keyJobId = JobIds.problem(key).isEmpty() ? key : null;
    if (payload == null || payload.length == 0) {
      return new Unreadable(keyJobId, "empty record: expected a SubmitJob");
    }
    Event event;
    try {
      event = deserializer.deserialize("kft.jobs", payload);
    } catch (RuntimeException e) {
      return new Unreadable(keyJobId, e.getMessage());
    }
    if (event == null) {
      return new Unreadable(keyJobId, "empty record: expected a SubmitJob");
    }
    if (!(event instanceof SubmitJob submit)) {
      return new Unreadable(
          keyJobId, "expected a SubmitJob, got " + event.getClass().getSimpleName());
    }
    Optional<String> badId = JobIds.problem(submit.jobId());
    if (badId.isPresent()) {
      return new Unreadable(
          keyJobId, "SubmitJob.jobId " + JobIds.quoted(submit.jobId()) + " " + badId.get());
    }
    JsonNode spec = submit.spec();
    if (spec == null || spec.isNull() || spec.isMissingNode()) {
      return new Rejected(
          submit.jobId(), submit, List.of(new Problem("", "SubmitJob.spec is missing")));
    }
    ValidatedSpec validated = JobSpecs.validate(spec);
    return validated.valid()
        ? new Accepted(submit.jobId(), submit, validated.spec(), validated.warnings())
        : new Rejected(submit.jobId(), submit, validated.problems());
  }
}
