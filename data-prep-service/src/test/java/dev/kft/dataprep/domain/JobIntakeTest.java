package dev.kft.dataprep.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kft.dataprep.domain.JobIntake.Accepted;
import dev.kft.dataprep.domain.JobIntake.Rejected;
import dev.kft.dataprep.domain.JobIntake.Unreadable;
import dev.kft.events.Event;
import dev.kft.events.EventSerializer;
import dev.kft.events.StopTraining;
import dev.kft.events.SubmitJob;
import dev.kft.events.TrainingFinished;
import dev.kft.job.JobSpecs;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("unit")
class JobIntakeTest {

  private final JobIntake intake = new JobIntake();
  private final EventSerializer serializer = new EventSerializer();

  private byte[] submit(String jobId, String yaml) {
    return serializer.serialize(
        "kft.jobs",
        new SubmitJob(
            Event.newId(), jobId, Instant.now(), yaml == null ? null : JobSpecs.parse(yaml), "t"));
  }

  @Test
  void validSpecIsAccepted() {
    Accepted a =
        assertInstanceOf(
            Accepted.class,
            intake.read(
                "j1",
                submit(
                    "j1",
                    "model: {source: m}\ndataset: {uri: d.csv}\nregistry: {model_name: r}\n")));
    assertEquals("j1", a.jobId());
    assertEquals("full", a.spec().method().type().id());
  }

  @Test
  void invalidSpecIsRejectedWithItsProblems() {
    Rejected r = assertInstanceOf(Rejected.class, intake.read("j2", submit("j2", "model: {}\n")));
    assertEquals(3, r.problems().size(), r.problems().toString());
  }

  @Test
  void missingSpecIsRejected() {
    Rejected r = assertInstanceOf(Rejected.class, intake.read("j3", submit("j3", null)));
    assertEquals("SubmitJob.spec is missing", r.problems().get(0).message());
  }

  @Test
  void garbageIsUnreadableAndKeepsTheKeyAsJobId() {
    Unreadable u =
        assertInstanceOf(
            Unreadable.class, intake.read("j4", "nope".getBytes(StandardCharsets.UTF_8)));
    assertEquals("j4", u.jobId());
    assertNull(assertInstanceOf(Unreadable.class, intake.read(null, new byte[] {1, 2})).jobId());
    assertEquals(
        "empty record: expected a SubmitJob",
        assertInstanceOf(Unreadable.class, intake.read("j4", new byte[0])).error());
  }

  @Test
  void anotherEventTypeIsUnreadable() {
    byte[] stop =
        serializer.serialize(
            "kft.jobs",
            new StopTraining(
                Event.newId(), "j5", Instant.now(), TrainingFinished.Reason.CANCELLED, "x", "y"));
    Unreadable u = assertInstanceOf(Unreadable.class, intake.read("j5", stop));
    assertEquals("expected a SubmitJob, got StopTraining", u.error());
  }

  @Test
  void aJobIdThatIsAPathOrTooLongIsUnreadableAndNoJobIsNamedAfterIt() {
    String spec = "model: {source: m}\ndataset: {uri: d.csv}\nregistry: {model_name: r}\n";
    Unreadable path = assertInstanceOf(Unreadable.class, intake.read("../x", submit("../x", spec)));
    assertNull(path.jobId(), "the key is not a job id either");
    assertEquals(
        "SubmitJob.jobId '../x' must be letters, digits, '.', '_' or '-', starting with a letter"
            + " or a digit",
        path.error());
    String huge = "a".repeat(65_536);
    Unreadable longId = assertInstanceOf(Unreadable.class, intake.read("j6", submit(huge, spec)));
    assertEquals("j6", longId.jobId());
    assertTrue(longId.error().endsWith("is 65536 characters long; at most 128 are allowed"));
  }
}
