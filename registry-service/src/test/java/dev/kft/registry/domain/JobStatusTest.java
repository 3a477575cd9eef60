package dev.kft.registry.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kft.events.Event;
import dev.kft.events.JobFailed;
import dev.kft.events.TrainingFinished;
import dev.kft.events.TrainingFinished.Reason;
import dev.kft.events.TrainingProgress;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("unit")
class JobStatusTest {

  private static TrainingProgress progress() {
    return new TrainingProgress(
        Event.newId(), "j", Instant.now(), 1, 2, 0.5, 1, 1e-5, 1, 1, 1, null, null);
  }

  private static TrainingFinished finished(Reason reason) {
    return new TrainingFinished(Event.newId(), "j", Instant.now(), reason, 2, 1, 0.1, null);
  }

  @Test
  void statusMovesForwardOnlyAndEndsForGood() {
    assertEquals(Optional.of(JobStatus.TRAINING), JobStatus.after(JobStatus.PREPARING, progress()));
    assertEquals(Optional.empty(), JobStatus.after(JobStatus.EVALUATING, progress()));
    assertEquals(
        Optional.of(JobStatus.EVALUATING),
        JobStatus.after(JobStatus.TRAINING, finished(Reason.EARLY_STOPPED)));
    assertEquals(
        Optional.of(JobStatus.CANCELLED),
        JobStatus.after(JobStatus.TRAINING, finished(Reason.CANCELLED)));
    JobFailed failed =
        new JobFailed(Event.newId(), "j", Instant.now(), "trainer", "train", "x", 1L);
    assertEquals(Optional.of(JobStatus.FAILED), JobStatus.after(JobStatus.EVALUATING, failed));
    assertEquals(Optional.empty(), JobStatus.after(JobStatus.CANCELLED, failed));
  }
}
