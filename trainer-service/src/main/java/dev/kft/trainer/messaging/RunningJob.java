package dev.kft.trainer.messaging;

import dev.kft.events.TrainingFinished.Reason;
import dev.kft.trainer.training.JobControl;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The job this instance is training, any stop asked of it, and what the evaluator has said about
 * each job's checkpoints (so {@code save_total_limit} spares the best and the unevaluated); one job
 * at a time.
 */
@ApplicationScoped
public class RunningJob implements JobControl {

  /** The evaluator's word on a job: its best checkpoint and the last step it evaluated. */
  private record Evaluated(long bestStep, long lastStep) {}

  private volatile String jobId;
  private final AtomicReference<Reason> stop = new AtomicReference<>();
  private final Map<String, Evaluated> evaluated = new ConcurrentHashMap<>();

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

  /** Notes that the evaluator evaluated a job's checkpoint at {@code step}. */
  void evaluated(String id, long step, boolean best) {
    evaluated.merge(
        id,
        new Evaluated(best ? step : -1, step),
        (old, now) -> new Evaluated(best ? step : old.bestStep(), Math.max(old.lastStep(), step)));
  }

  @Override
  public Reason stopRequested() {
    return stop.get();
  }

  @Override
  public boolean keep(long step) {
    String id = jobId;
    Evaluated e = id == null ? null : evaluated.get(id);
    return e == null || step == e.bestStep() || step > e.lastStep();
  }
}
