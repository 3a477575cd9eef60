package dev.kft.cli;

import dev.kft.events.CheckpointEvaluated;
import dev.kft.events.DatasetPrepared;
import dev.kft.events.Event;
import dev.kft.events.JobAccepted;
import dev.kft.events.JobFailed;
import dev.kft.events.JobRejected;
import dev.kft.events.ModelCandidate;
import dev.kft.events.ModelVersionRegistered;
import dev.kft.events.TrainingFinished;
import dev.kft.events.TrainingFinished.Reason;
import dev.kft.events.TrainingProgress;
import dev.kft.events.TrainingStarted;
import java.io.PrintStream;
import java.time.Duration;

/**
 * What {@code kft watch} prints of a job's events, wherever they come from (Kafka, or the
 * registry's event stream): a line per fact, one progress line (redrawn on a terminal, plain lines
 * elsewhere), and the exit code the outcome means.
 */
final class WatchDisplay {

  private final PrintStream out = System.out;
  private final boolean terminal = System.console() != null;
  private boolean progressShown;
  private ModelVersionRegistered registered;
  private TrainingProgress firstProgress;

  ModelVersionRegistered registered() {
    return registered;
  }

  /** Prints an event; returns the exit code when it ends the job, else null. */
  Integer show(Event e) {
    if (e instanceof JobAccepted a) {
      line(
          "accepted: "
              + a.spec().registry().modelName()
              + ", method "
              + a.spec().method().type().id());
      if (a.warnings() != null) {
        a.warnings().forEach(w -> line("  warning: " + w));
      }
    } else if (e instanceof JobRejected r) {
      line("rejected: " + r.reason());
      r.problems().forEach(p -> line("  " + p));
      return JobWatch.FAILED;
    } else if (e instanceof DatasetPrepared p) {
      line(Render.prepared(p));
    } else if (e instanceof TrainingStarted s) {
      line(Render.started(s));
    } else if (e instanceof TrainingProgress p) {
      if (firstProgress == null) {
        firstProgress = p;
      }
      double seconds =
          Duration.between(firstProgress.occurredAt(), p.occurredAt()).toMillis() / 1000.0;
      double pace = seconds > 0 ? (p.step() - firstProgress.step()) / seconds : 0;
      progress(Render.progress(p, pace, terminal));
    } else if (e instanceof CheckpointEvaluated c) {
      line(Render.evaluated(c));
    } else if (e instanceof TrainingFinished f) {
      line("training finished: " + f.reason() + " at step " + f.step());
      if (f.reason() == Reason.CANCELLED) {
        return JobWatch.FAILED;
      }
    } else if (e instanceof JobFailed f) {
      line("FAILED in " + f.service() + " (" + f.stage() + "): " + f.reason());
      return JobWatch.FAILED;
    } else if (e instanceof ModelCandidate c) {
      line(Render.candidate(c));
    } else if (e instanceof ModelVersionRegistered v) {
      registered = v;
      line("registered " + v.modelName() + " v" + v.version() + " at " + v.artifactUri());
      return JobWatch.REGISTERED;
    }
    return null;
  }

  private void progress(String text) {
    if (terminal) {
      out.print("\r" + text);
      out.flush();
      progressShown = true;
    } else {
      out.println(text);
    }
  }

  void line(String text) {
    if (progressShown) {
      out.println();
      progressShown = false;
    }
    out.println(text);
  }
}
