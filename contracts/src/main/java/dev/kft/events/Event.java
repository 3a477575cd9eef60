package dev.kft.events;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.time.Instant;
import java.util.UUID;

/**
 * A fact or command carried as JSON on one of the {@link Topics}; the {@code type} property names
 * the record so that a topic can carry several kinds.
 *
 * <p>Every event has a unique {@code eventId} (handlers use it to ignore redeliveries), the {@code
 * jobId} it belongs to (also the record key) and the instant it {@code occurredAt}. Events only
 * ever gain fields; readers ignore fields they do not know.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonTypeInfo(use = JsonTypeInfo.Id.SIMPLE_NAME, property = "type")
@JsonSubTypes({
  @JsonSubTypes.Type(SubmitJob.class),
  @JsonSubTypes.Type(JobAccepted.class),
  @JsonSubTypes.Type(JobRejected.class),
  @JsonSubTypes.Type(DatasetPrepared.class),
  @JsonSubTypes.Type(TrainingStarted.class),
  @JsonSubTypes.Type(TrainingProgress.class),
  @JsonSubTypes.Type(TrainingFinished.class),
  @JsonSubTypes.Type(JobFailed.class),
  @JsonSubTypes.Type(CheckpointSaved.class),
  @JsonSubTypes.Type(CheckpointEvaluated.class),
  @JsonSubTypes.Type(ModelCandidate.class),
  @JsonSubTypes.Type(StopTraining.class),
  @JsonSubTypes.Type(ModelVersionRegistered.class),
  @JsonSubTypes.Type(AliasSet.class),
  @JsonSubTypes.Type(AliasDeleted.class),
  @JsonSubTypes.Type(ScoringDeclared.class),
  @JsonSubTypes.Type(ScoringRemoved.class),
  @JsonSubTypes.Type(ScoringSwitched.class)
})
public sealed interface Event
    permits JobCommand,
        JobEvent,
        CheckpointSaved,
        EvaluationEvent,
        ControlCommand,
        ModelEvent,
        ScoringSwitched {

  UUID eventId();

  String jobId();

  Instant occurredAt();

  /** A fresh event id. */
  static UUID newId() {
    return UUID.randomUUID();
  }
}
