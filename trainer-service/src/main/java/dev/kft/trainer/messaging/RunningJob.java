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
  private volatile boolean handedOver;
  private final AtomicReference<Reason> stop = new AtomicReference<>();
  private final Map<String, Evaluated> evaluated = new ConcurrentHashMap<>();

  /**
   * Starts tracking a job.
   *
   * @param recordedStop a stop asked of the job before it started here, or null
   */
  void begin(String id, Reason recordedStop) {
    stop.set(recordedStop);
    handedOver = false;
    jobId = id;
  }

  /**
   * Asks the running job to checkpoint and stop at its next step, for another trainer to resume.
   */
  void handOver() {
    handedOver = true;
  }

  @Override
  public boolean handedOver() {
    return handedOver;
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
