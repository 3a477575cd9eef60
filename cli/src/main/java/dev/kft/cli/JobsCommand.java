package dev.kft.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code kft jobs}: the registry's tracked jobs; {@code kft job}, {@code kft cancel}. */
@Command(name = "jobs", description = "List jobs, newest first.")
final class JobsCommand implements Callable<Integer> {

  @Option(names = "--status", description = "only jobs with this status (e.g. TRAINING)")
  String status;

  @Mixin Listing listing;

  @Override
  public Integer call() throws Exception {
    String query = status == null ? "" : "?status=" + status;
    JsonNode jobs = ApiClient.registry(Settings.load()).get("/api/jobs" + query);
    if (listing.printedAsJson(jobs)) {
      return 0;
    }
    System.out.printf(
        Locale.ROOT, "%-36s  %-13s  %-24s  %s%n", "JOB", "STATUS", "MODEL", "UPDATED");
    for (JsonNode j : jobs) {
      System.out.printf(
          Locale.ROOT,
          "%-36s  %-13s  %-24s  %s%n",
          j.path("jobId").asText(),
          j.path("status").asText(),
          j.path("modelName").asText("-"),
          j.path("updatedAt").asText());
    }
    return 0;
  }

  /** {@code kft job JOB}. */
  @Command(name = "job", description = "Show one job: status, timeline and latest metrics.")
  static final class Job implements Callable<Integer> {
    @Parameters(paramLabel = "JOB")
    String jobId;

    @Mixin Listing listing;

    @Override
    public Integer call() throws Exception {
      JsonNode j = ApiClient.registry(Settings.load()).get("/api/jobs/" + jobId);
      if (listing.printedAsJson(j)) {
        return 0;
      }
      System.out.println("job     " + j.path("jobId").asText());
      System.out.println("status  " + j.path("status").asText());
      System.out.println("model   " + j.path("modelName").asText("-"));
      if (!j.path("reason").isMissingNode() && !j.path("reason").isNull()) {
        System.out.println("reason  " + j.path("reason").asText());
      }
      System.out.println("timeline:");
      for (JsonNode e : j.path("timeline")) {
        System.out.println("  " + e.path("occurredAt").asText() + "  " + e.path("type").asText());
      }
      JsonNode last = null;
      for (JsonNode m : j.path("metrics")) {
        if (m.path("kind").asText().equals("eval") && m.path("name").asText().equals("eval_loss")) {
          last = m;
        }
      }
      if (last != null) {
        System.out.printf(
            Locale.ROOT,
            "last evaluation: step %d, eval_loss %.4f%n",
            last.path("step").asLong(),
            last.path("value").asDouble());
      }
      return 0;
    }
  }

  /** {@code kft cancel JOB}. */
  @Command(name = "cancel", description = "Cancel a job (needs the stack's token).")
  static final class Cancel implements Callable<Integer> {
    @Parameters(paramLabel = "JOB")
    String jobId;

    @Override
    public Integer call() throws Exception {
      ApiClient.registry(Settings.load()).post("/api/jobs/" + jobId + "/cancel");
      System.out.println("cancel requested for " + jobId);
      return 0;
    }
  }
}
