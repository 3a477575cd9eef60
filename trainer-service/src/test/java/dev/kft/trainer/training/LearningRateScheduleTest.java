package dev.kft.trainer.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kft.job.SchedulerType;
import dev.kft.json.Json;
import dev.kft.testing.PythonReference;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every schedule gives, step by step, the rate PyTorch's {@code LambdaLR} gives with transformers'
 * lambdas for it ({@code constant} without warmup, as {@code get_constant_schedule} ignores it).
 */
@Tag("parity")
class LearningRateScheduleTest {

  private static final double PEAK = 3e-4;
  private static final int WARMUP = 4;
  private static final int TOTAL = 23;

  @TempDir Path dir;

  @ParameterizedTest
  @EnumSource(SchedulerType.class)
  void ratesEqualLambdaLRs(SchedulerType type) throws Exception {
    JsonNode reference =
        Json.mapper()
            .readTree(
                PythonReference.run(
                    "schedule_reference.py",
                    dir,
                    type.id(),
                    String.valueOf(PEAK),
                    String.valueOf(WARMUP),
                    String.valueOf(TOTAL)));
    assertEquals(TOTAL, reference.size());
    LearningRateSchedule schedule = new LearningRateSchedule(type, PEAK, WARMUP, TOTAL);
    boolean varies = false;
    for (int step = 0; step < TOTAL; step++) {
      double theirs = reference.get(step).asDouble();
      assertEquals(theirs, schedule.rate(step), 1e-12 * PEAK, type + " at step " + step);
      varies |= theirs != PEAK;
    }
    assertTrue(varies == (type != SchedulerType.CONSTANT), type + " varies as its lambda does");
  }
}
