package dev.kft.cli;

import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code kft watch JOB}: follows one job live to its end, from Kafka, or from the registry's event
 * stream with {@code --registry-url}.
 */
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
    return follow(Settings.load(), jobId, Duration.ofMinutes(timeoutMinutes));
  }

  /** Follows a job through Kafka, or through the registry's API when the stack is remote. */
  static int follow(Settings settings, String jobId, Duration timeout) throws Exception {
    return settings.overHttp()
        ? new StreamWatch(settings, jobId, timeout).follow()
        : new JobWatch(settings, jobId, timeout).follow();
  }
}
