package dev.kft.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The command lines of the five services in the local stack, with their settings. Data-prep, the
 * trainer, the evaluator and the inference service may run as several instances: instance {@code n}
 * (from 2) is named {@code <service>-n}, listens on the service's port + 10·(n-1) and has a
 * transactional id of its own.
 */
final class Services {

  private final Settings settings;
  private final LocalStack.Ports ports;

  Services(Settings settings, LocalStack.Ports ports) {
    this.settings = settings;
    this.ports = ports;
  }

  /** Ports of instance {@code n} of a replicated service are this far apart. */
  static final int INSTANCE_PORT_STEP = 10;

  /** Every instance's part, each with {@code secrets} it needs in its environment. */
  List<LocalStack.Part> parts(StackSecrets secrets, int replicas) {
    Path artifacts = settings.home().resolve("artifacts");
    Path data = settings.root().resolve("data");
    Path models = settings.root().resolve("models");
    List<LocalStack.Part> parts = new ArrayList<>();
    for (int n = 1; n <= replicas; n++) {
      parts.add(
          instance(
              n,
              "data-prep",
              ports.dataPrep(),
              "-Dkft.data-prep.data-roots=" + data,
              "-Dkft.data-prep.model-roots=" + models));
    }
    for (int n = 1; n <= replicas; n++) {
      parts.add(
          instance(
              n,
              "trainer",
              ports.trainer(),
              "-Dkft.trainer.artifact-root=" + artifacts,
              "-Dkft.trainer.model-roots=" + models));
    }
    for (int n = 1; n <= replicas; n++) {
      parts.add(
          instance(
              n, "evaluator", ports.evaluator(), "-Dkft.evaluator.artifact-root=" + artifacts));
    }
    parts.add(
        withEnvironment(
            part(
                "registry",
                "registry-service",
                ports.registry(),
                "-Dkft.registry.artifact-root=" + artifacts,
                "-Dkft.registry.model-root=" + settings.home().resolve("registry"),
                "-Dquarkus.datasource.jdbc.url=jdbc:postgresql://127.0.0.1:"
                    + ports.postgres()
                    + "/postgres"),
            Map.of(
                "KFT_REGISTRY_API_TOKEN",
                secrets.token(),
                "KFT_REGISTRY_DB_PASSWORD",
                secrets.database())));
    for (int n = 1; n <= replicas; n++) {
      parts.add(
          instance(
              n,
              "inference",
              ports.inference(),
              "-Dkft.inference.model-roots=" + settings.home().resolve("registry")));
    }
    // each service is a Kafka principal of its own, kft-<service>, whichever its instance
    return parts.stream()
        .map(
            p ->
                withEnvironment(
                    p, secrets.kafka().environment("kft-" + p.name().replaceFirst("-\\d+$", ""))))
        .toList();
  }

  /** Instance {@code n} of {@code service} (config prefix {@code kft.<service>}). */
  private LocalStack.Part instance(int n, String service, int port, String... properties) {
    if (n == 1) {
      return part(service, service + "-service", port, properties);
    }
    String name = service + "-" + n;
    List<String> all = new ArrayList<>(List.of(properties));
    // instances on one host would otherwise share a transactional id and fence each other
    all.add("-Dkft." + service + ".transactional-id-prefix=kft-" + name);
    return part(
        name,
        service + "-service",
        port + INSTANCE_PORT_STEP * (n - 1),
        all.toArray(String[]::new));
  }

  private LocalStack.Part part(String name, String module, int port, String... properties) {
    Path jar = settings.root().resolve(module).resolve("target/quarkus-app/quarkus-run.jar");
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Dai.djl.offline=true");
    command.add("-Dkafka.bootstrap.servers=127.0.0.1:" + ports.kafka());
    command.add("-Dquarkus.http.port=" + port);
    // the local stack is for this machine alone
    command.add("-Dquarkus.http.host=127.0.0.1");
    command.addAll(List.of(properties));
    command.add("-jar");
    command.add(jar.toString());
    return new LocalStack.Part(name, port, command, "http://127.0.0.1:" + port + "/q/health/ready");
  }

  /** {@code part} with {@code more} variables set for its process. */
  private static LocalStack.Part withEnvironment(LocalStack.Part part, Map<String, String> more) {
    Map<String, String> environment = new java.util.HashMap<>(part.environment());
    environment.putAll(more);
    return new LocalStack.Part(
        part.name(), part.port(), part.command(), part.healthUrl(), environment);
  }

  /** Whether every service has been built. */
  boolean built() {
    return List.of(
            "data-prep-service",
            "trainer-service",
            "evaluator-service",
            "registry-service",
            "inference-service")
        .stream()
        .allMatch(
            m ->
                Files.isRegularFile(
                    settings.root().resolve(m).resolve("target/quarkus-app/quarkus-run.jar")));
  }
}
