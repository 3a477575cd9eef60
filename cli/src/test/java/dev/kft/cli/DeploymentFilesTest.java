package dev.kft.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.kft.events.KafkaAcls;
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
    for (String secret : composeSecrets()) {
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
            "grafana",
            "libretranslate"),
        toSet(services.fieldNames()));
    assertEquals(
        "translation",
        services.path("libretranslate").path("profiles").path(0).asText(),
        "LibreTranslate starts only with --profile translation");
  }

  /** The variables .env must set, as docs/operations.md makes them. */
  private static List<String> composeSecrets() throws IOException {
    Matcher m =
        Pattern.compile("\\b(KFT_[A-Z_]+)\\b")
            .matcher(
                Files.readString(ROOT.resolve("docs/operations.md"))
                    .split("> \\.env", 2)[0]
                    .substring(
                        Files.readString(ROOT.resolve("docs/operations.md")).indexOf("umask 077")));
    Set<String> names = new TreeSet<>();
    while (m.find()) {
      names.add(m.group(1));
    }
    return List.copyOf(names);
  }

  @Test
  void composeServicesSignInToKafkaAsTheirOwnUsers() throws Exception {
    JsonNode services = compose().path("services");
    JsonNode setup = services.path("topics").path("environment");
    for (String service : List.of("data-prep", "trainer", "evaluator", "registry", "inference")) {
      String jaas =
          services.path(service).path("environment").path("KAFKA_SASL_JAAS_CONFIG").asText();
      Matcher m = Pattern.compile("username=\"([^\"]+)\" password=\"\\$\\{(\\w+)}\"").matcher(jaas);
      assertTrue(m.find(), service + ": " + jaas);
      assertEquals("kft-" + service, m.group(1), service + "'s Kafka user");
      // the setup container gives that user the same password
      assertTrue(setup.has(m.group(2)), service + ": " + m.group(2) + " reaches the setup");
      assertTrue(composeSecrets().contains(m.group(2)), m.group(2) + " is made in .env");
    }
    String broker = services.path("kafka").path("environment").toString();
    assertTrue(broker.contains("StandardAuthorizer") && broker.contains("\"User:admin\""), broker);
    assertTrue(
        services
            .path("kafka")
            .path("environment")
            .path("KAFKA_LISTENER_SECURITY_PROTOCOL_MAP")
            .asText()
            .matches("(\\w+:SASL_PLAINTEXT,?)+"),
        "every listener asks for credentials");
  }

  @Test
  void theComposeAclFileIsTheTable() throws Exception {
    Set<String> file = new TreeSet<>();
    for (String line : Files.readAllLines(ROOT.resolve("deploy/kafka/acls.tsv"))) {
      if (!line.startsWith("#") && !line.isBlank()) {
        file.add(line);
      }
    }
    Set<String> table = new TreeSet<>();
    for (KafkaAcls.Acl acl : KafkaAcls.ALL) {
      for (KafkaAcls.Operation op : acl.operations()) {
        String name = op.name();
        table.add(
            String.join(
                "\t",
                acl.principal(),
                acl.deny() ? "deny" : "allow",
                name.charAt(0) + name.substring(1).toLowerCase(),
                acl.resource().name().toLowerCase().replace('_', '-'),
                acl.prefixed() ? "prefixed" : "literal",
                acl.name()));
      }
    }
    assertEquals(table, file);
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

  /**
   * Every dashboard lets its reader pick the Prometheus data source, and the training dashboard the
   * job, by the metrics' {@code job_id} tag: Prometheus keeps {@code job} for the scrape job, so a
   * tag of that name would reach the dashboards as {@code exported_job}.
   */
  @Test
  void dashboardsHaveDataSourceAndJobVariables() throws Exception {
    try (Stream<Path> files = Files.list(DashboardMetrics.DASHBOARDS)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".json")).toList()) {
        String text = Files.readString(file);
        JsonNode dashboard = new ObjectMapper().readTree(text);
        List<String> variables = new ArrayList<>();
        dashboard
            .path("templating")
            .path("list")
            .forEach(v -> variables.add(v.path("name").asText()));
        assertTrue(variables.contains("datasource"), file + ": " + variables);
        for (JsonNode panel : dashboard.path("panels")) {
          assertEquals(
              "${datasource}",
              panel.path("datasource").path("uid").asText(),
              file + ": " + panel.path("title").asText());
        }
        assertFalse(text.contains("exported_job"), file.toString());
      }
    }
    JsonNode training =
        new ObjectMapper()
            .readTree(DashboardMetrics.DASHBOARDS.resolve("kft-training.json").toFile());
    assertEquals("job_id", training.path("templating").path("list").path(1).path("name").asText());
    assertEquals(
        "kft_trainer_loss{job_id=~\"$job_id\"}",
        training.path("panels").path(0).path("targets").path(0).path("expr").asText(),
        "the loss panel follows the chosen jobs");
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
