package dev.kft.cli;

import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code kft watch JOB}: follows one job live to its end. */
@Command(
    name = "watch",
    description =
        "Follow a job: data, training progress, evaluations, outcome. Exit 0 when"
            + " registered, 1 failed/rejected/cancelled, 3 not approved.")
final class WatchCommand implements Callable<Integer> {

  @Parameters(paramLabel = "JOB")
  String jobId;

  @Option(
      names = "--timeout-minutes",
      defaultValue = "1440",
      description = "stop watching after this long (exit 4)")
  long timeoutMinutes;

  @Override
  public Integer call() throws Exception {
    return new JobWatch(Settings.load(), jobId, Duration.ofMinutes(timeoutMinutes)).follow();
  }
}
