package dev.kft.trainer.messaging;

import dev.kft.events.TrainingFinished.Reason;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.atomic.AtomicReference;

/** The job this instance is training, and any stop asked of it; one job at a time. */
@ApplicationScoped
public class RunningJob {

  private volatile String jobId;
  private final AtomicReference<Reason> stop = new AtomicReference<>();

  void begin(String id) {
    stop.set(null);
    jobId = id;
  }

  void end() {
    jobId = null;
  }

  /** Asks the running job to stop at its next step; ignored for other jobs. */
  public boolean requestStop(String id, Reason reason) {
    if (id.equals(jobId)) {
      stop.compareAndSet(null, reason);
      return true;
    }
    return false;
  }

  Reason stopReason() {
    return stop.get();
  }
}
