package dev.kft.trainer.messaging;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The trainer's resident memory as {@code kft.trainer.resident.memory}: PyTorch's tensors live
 * outside the Java heap, so JVM memory metrics alone miss them. Read from {@code /proc} (Linux).
 */
@Singleton
public class ResidentMemory implements MeterBinder {

  @Override
  public void bindTo(MeterRegistry registry) {
    Gauge.builder("kft.trainer.resident.memory", ResidentMemory::bytes)
        .baseUnit("bytes")
        .description("resident memory of the trainer process, native (PyTorch) memory included")
        .register(registry);
  }

  static double bytes() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("VmRSS:")) {
          return 1024.0 * Long.parseLong(line.replaceAll("[^0-9]", ""));
        }
      }
    } catch (IOException | NumberFormatException e) {
      // not Linux, or /proc unreadable: no figure
    }
    return Double.NaN;
  }
}
