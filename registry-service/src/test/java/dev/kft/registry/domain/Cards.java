package dev.kft.registry.domain;

import dev.kft.events.ConfusionMatrix;
import dev.kft.events.DatasetPrepared;
import dev.kft.events.Event;
import dev.kft.events.ModelCandidate;
import dev.kft.events.ParameterCount;
import dev.kft.events.TrainingFinished.Reason;
import dev.kft.job.JobSpecs;
import dev.kft.job.ValidatedSpec;
import dev.kft.testing.TinyDatasets;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** What a model card is made from, for the card tests: a candidate and its job's dataset report. */
final class Cards {

  private Cards() {}

  /** A candidate of job {@code j} at step 20 with eval_f1 0.9 and test_accuracy 0.91. */
  static ModelCandidate candidate(List<String> labels, ConfusionMatrix testMatrix) {
    return new ModelCandidate(
        Event.newId(),
        "j",
        Instant.now(),
        20,
        "file:/c",
        "sha",
        false,
        new ParameterCount(1, 1),
        "d",
        labels,
        Map.of("eval_f1", 0.9),
        null,
        null,
        Map.of("test_accuracy", 0.91),
        testMatrix,
        null,
        Reason.COMPLETED,
        null);
  }

  /** The dataset report of a job with {@code spec} (YAML), which must be valid. */
  static DatasetPrepared prepared(String spec) {
    ValidatedSpec checked = JobSpecs.validate(JobSpecs.parse(spec));
    if (!checked.valid()) {
      throw new IllegalArgumentException(checked.describeProblems());
    }
    return TinyDatasets.trainOnly("j", checked.spec(), 8, 0, 12);
  }
}
