package dev.kft.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.kft.events.Topics;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Docker Compose deployment is whole: the compose files render (Debian's {@code docker-compose
 * config}, no engine needed), every build context, Dockerfile and mounted file exists, the topic
 * script creates exactly kft's topics, Prometheus accepts its configuration ({@code promtool}), and
 * the dashboards' expressions parse into metric names.
 */
@Tag("e2e")
class DeploymentFilesTest {

  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

  private static JsonNode compose() throws IOException {
    return new ObjectMapper(new YAMLFactory())
        .readTree(ROOT.resolve("docker-compose.yml").toFile());
  }

  private static boolean onPath(String tool) {
    return Stream.of(System.getenv("PATH").split(":"))
        .anyMatch(d -> Files.isExecutable(Path.of(d, tool)));
  }

  private static String run(String... command) throws IOException, InterruptedException {
    ProcessBuilder builder = new ProcessBuilder(command).directory(ROOT.toFile());
    // compose refuses to render without the secrets a user keeps in .env
    for (String secret : List.of("KFT_TOKEN", "KFT_DB_PASSWORD", "KFT_GRAFANA_PASSWORD")) {
      builder.environment().put(secret, "rendered-" + secret.toLowerCase());
    }
    Process p = builder.redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(2, TimeUnit.MINUTES), String.join(" ", command) + " timed out");
    assertEquals(0, p.exitValue(), String.join(" ", command) + ":\n" + out);
    return out;
  }

  @Test
  void composeFilesRenderWithDockerCompose() throws Exception {
    assumeTrue(onPath("docker-compose"), "Debian's docker-compose is not installed");
    String rendered =
        run("docker-compose", "-f", "docker-compose.yml", "-f", "docker-compose.gpu.yml", "config");
    assertTrue(rendered.contains("driver: nvidia"), "the GPU override applies");
  }

  @Test
  void everyBuildContextDockerfileAndMountedFileExists() throws Exception {
    JsonNode services = compose().path("services");
    List<String> problems = new ArrayList<>();
    services
        .fields()
        .forEachRemaining(
            e -> {
              JsonNode build = e.getValue().path("build");
              if (build.isObject()) {
                Path context = ROOT.resolve(build.path("context").asText());
                Path dockerfile = context.resolve(build.path("dockerfile").asText("Dockerfile"));
                if (!Files.isRegularFile(dockerfile)) {
                  problems.add(e.getKey() + ": no " + dockerfile);
                }
              }
              for (JsonNode volume : e.getValue().path("volumes")) {
                String source = volume.asText().split(":")[0];
                if (source.startsWith(".") && !Files.exists(ROOT.resolve(source))) {
                  problems.add(e.getKey() + ": mounts missing " + source);
                }
              }
            });
    assertEquals(List.of(), problems);
    assertEquals(
        Set.of(
            "kafka",
            "topics",
            "postgres",
            "data-prep",
            "trainer",
            "evaluator",
            "registry",
            "inference",
            "prometheus",
            "grafana"),
        toSet(services.fieldNames()));
  }

  @Test
  void theTopicScriptCreatesExactlyKftsTopics() throws Exception {
    Matcher m =
        Pattern.compile("(?m)^create (\\S+) ")
            .matcher(Files.readString(ROOT.resolve("deploy/kafka/create-topics.sh")));
    Set<String> created = new TreeSet<>();
    while (m.find()) {
      created.add(m.group(1));
    }
    assertEquals(new TreeSet<>(Topics.ALL), created);
  }

  @Test
  void prometheusAcceptsItsConfiguration() throws Exception {
    assumeTrue(onPath("promtool"), "Debian's prometheus package (promtool) is not installed");
    run("promtool", "check", "config", "deploy/prometheus/prometheus.yml");
  }

  @Test
  void dashboardExpressionsNameKftMetrics() throws Exception {
    assertEquals(
        Set.of("kft_trainer_samples_per_second_sum", "kft_trainer_samples_per_second_count"),
        DashboardMetrics.names(
            "rate(kft_trainer_samples_per_second_sum{job=\"x\"}[5m]) /"
                + " rate(kft_trainer_samples_per_second_count[5m])"));
    assertEquals(
        Set.of("kft_data_prep_jobs_total"),
        DashboardMetrics.names("sum by (outcome) (increase(kft_data_prep_jobs_total[1h]))"));
    Set<String> names = DashboardMetrics.names();
    assertTrue(names.contains("kft_trainer_loss") && names.contains("up"), names.toString());
  }

  /**
   * Where no GPU is, the GPU check says so and exits 2 before doing anything (nvidia-smi is kept
   * off its path here, so the test means the same on a machine with a GPU).
   */
  @Test
  void theGpuCheckSaysClearlyThatThereIsNoGpu(@TempDir Path bin) throws Exception {
    // a path of dirname alone: what the script needs before it looks for nvidia-smi
    Files.createSymbolicLink(bin.resolve("dirname"), Path.of("/usr/bin/dirname"));
    ProcessBuilder builder =
        new ProcessBuilder("/bin/bash", "bench/gpu-check")
            .directory(Path.of("..").toFile())
            .redirectErrorStream(true);
    builder.environment().put("PATH", bin.toString());
    Process p = builder.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), "gpu-check ended");
    assertEquals(2, p.exitValue(), out);
    assertTrue(out.contains("no NVIDIA GPU here"), out);
  }

  private static Set<String> toSet(java.util.Iterator<String> it) {
    Set<String> set = new TreeSet<>();
    it.forEachRemaining(set::add);
    return set;
  }
}
