package dev.kft.trainer.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.djl.Device;
import ai.djl.engine.Engine;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("unit")
class TrainingJobTest {

  @Test
  void theDeviceSettingIsCheckedAndHonoured() {
    IllegalArgumentException bad =
        assertThrows(
            IllegalArgumentException.class,
            () -> new TrainingJob(null, new CheckpointStore(Path.of("x")), "tpu"));
    assertEquals("kft.trainer.device: must be auto, cpu or gpu, got 'tpu'", bad.getMessage());
    assertEquals(Device.cpu(), TrainingJob.device("cpu"));
    assumeTrue(Engine.getInstance().getGpuCount() == 0, "this check is for machines without GPU");
    assertEquals(Device.cpu(), TrainingJob.device("auto"));
    IllegalStateException none =
        assertThrows(IllegalStateException.class, () -> TrainingJob.device("gpu"));
    assertEquals(
        "kft.trainer.device is gpu, but the PyTorch engine sees no GPU (CPU-only libtorch, or no"
            + " CUDA driver)",
        none.getMessage());
  }
}
