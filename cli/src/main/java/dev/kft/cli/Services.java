package dev.kft.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The command lines of the four services in the local stack, with their settings. */
final class Services {

  private final Settings settings;
  private final LocalStack.Ports ports;

  Services(Settings settings, LocalStack.Ports ports) {
    this.settings = settings;
    this.ports = ports;
  }

  List<LocalStack.Part> parts(String token) {
    Path artifacts = settings.home().resolve("artifacts");
    Path data = settings.root().resolve("data");
    Path models = settings.root().resolve("models");
    return List.of(
        part(
            "data-prep",
            "data-prep-service",
            ports.dataPrep(),
            "-Dkft.data-prep.data-roots=" + data,
            "-Dkft.data-prep.model-roots=" + models),
        part(
            "trainer",
            "trainer-service",
            ports.trainer(),
            "-Dkft.trainer.artifact-root=" + artifacts,
            "-Dkft.trainer.model-roots=" + models),
        part(
            "evaluator",
            "evaluator-service",
            ports.evaluator(),
            "-Dkft.evaluator.artifact-root=" + artifacts),
        part(
            "registry",
            "registry-service",
            ports.registry(),
            "-Dkft.registry.artifact-root=" + artifacts,
            "-Dkft.registry.model-root=" + settings.home().resolve("registry"),
            "-Dkft.registry.api-token=" + token,
            "-Dquarkus.datasource.jdbc.url=jdbc:postgresql://127.0.0.1:"
                + ports.postgres()
                + "/postgres"));
  }

  private LocalStack.Part part(String name, String module, int port, String... properties) {
    Path jar = settings.root().resolve(module).resolve("target/quarkus-app/quarkus-run.jar");
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Dai.djl.offline=true");
    command.add("-Dkafka.bootstrap.servers=127.0.0.1:" + ports.kafka());
    command.add("-Dquarkus.http.port=" + port);
    command.addAll(List.of(properties));
    command.add("-jar");
    command.add(jar.toString());
    return new LocalStack.Part(name, command, "http://127.0.0.1:" + port + "/q/health/ready");
  }

  /** Whether every service has been built. */
  boolean built() {
    return List.of("data-prep-service", "trainer-service", "evaluator-service", "registry-service")
        .stream()
        .allMatch(
            m ->
                Files.isRegularFile(
                    settings.root().resolve(m).resolve("target/quarkus-app/quarkus-run.jar")));
  }
}
