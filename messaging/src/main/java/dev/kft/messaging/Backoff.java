package dev.kft.messaging;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import org.jboss.logging.Logger;

/**
 * Rides out transient faults (a database, broker or store that is briefly away): an attempt that
 * fails transiently is repeated after a delay that doubles from {@code first} up to {@code max},
 * until it succeeds or {@code budget} has passed, when the last failure is thrown. While a retry is
 * under way the dependency is reported degraded ({@link #degradedSince()}), for health checks.
 */
public final class Backoff {

  /** Work that may fail transiently. */
  public interface Attempt<T> {
    T run() throws Exception;
  }

  private static final Logger LOG = Logger.getLogger(Backoff.class);

  private final Duration first;
  private final Duration max;
  private final Duration budget;
  private final Predicate<Exception> transientFault;
  private final AtomicLong retries = new AtomicLong();
  private volatile Instant degradedSince;

  public Backoff(
      Duration first, Duration max, Duration budget, Predicate<Exception> transientFault) {
    this.first = first;
    this.max = max;
    this.budget = budget;
    this.transientFault = transientFault;
  }

  /**
   * Runs {@code attempt}, repeating it while it fails transiently within the budget.
   *
   * @param what what is attempted, for the log
   */
  public <T> T run(String what, Attempt<T> attempt) throws Exception {
    Instant giveUp = Instant.now().plus(budget);
    Duration delay = first;
    for (int tries = 1; ; tries++) {
      try {
        T result = attempt.run();
        if (tries > 1) {
          LOG.infof("%s succeeded at attempt %d", what, tries);
          degradedSince = null;
        }
        return result;
      } catch (Exception e) {
        if (!transientFault.test(e) || Instant.now().plus(delay).isAfter(giveUp)) {
          degradedSince = null;
          throw e;
        }
        if (degradedSince == null) {
          degradedSince = Instant.now();
        }
        retries.incrementAndGet();
        LOG.warnf(
            "%s failed (attempt %d: %s); retrying in %d ms", what, tries, e, delay.toMillis());
        Thread.sleep(delay.toMillis());
        delay = doubled(delay, max);
      }
    }
  }

  /** The pause after {@code pause}: twice as long, at most {@code max}. */
  public static Duration doubled(Duration pause, Duration max) {
    Duration twice = pause.multipliedBy(2);
    return twice.compareTo(max) > 0 ? max : twice;
  }

  /** When the retry under way began, or null when none is. */
  public Instant degradedSince() {
    return degradedSince;
  }

  /** Transient failures retried so far. */
  public long retries() {
    return retries.get();
  }
}
