package dev.kft.testing;

import java.time.Duration;
import java.time.Instant;

/** Retries an assertion until it passes or a deadline passes, for effects that arrive later. */
public final class Eventually {

  private Eventually() {}

  /** Runs {@code assertion} until it stops throwing; rethrows its last failure at the deadline. */
  public static void await(Duration timeout, Runnable assertion) {
    Instant deadline = Instant.now().plus(timeout);
    while (true) {
      try {
        assertion.run();
        return;
      } catch (AssertionError | RuntimeException e) {
        if (Instant.now().isAfter(deadline)) {
          throw e;
        }
      }
      try {
        Thread.sleep(200);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
  }
}
