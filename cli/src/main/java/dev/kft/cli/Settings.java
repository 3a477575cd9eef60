package dev.kft.cli;

import dev.kft.events.KafkaAcls;
import dev.kft.messaging.KafkaConnection;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;

/**
 * Where kft's local state lives and how to reach a stack. {@code kft up} writes {@code
 * .kft/stack.properties} (ports, token) and {@code .kft/kafka-users.properties} (whose {@code
 * kft-cli} user the command's Kafka clients are); environment variables {@code KFT_KAFKA}, {@code
 * KFT_KAFKA_CONFIG} (a Kafka client properties file: security protocol, SASL, TLS), {@code
 * KFT_REGISTRY}, {@code KFT_INFERENCE} and {@code KFT_TOKEN} point the command at another stack
 * instead. {@code --registry-url} (or {@code KFT_REGISTRY_URL}) names a remote stack's registry and
 * has the command reach it over HTTP alone: jobs are submitted and followed through its API, so no
 * Kafka listener needs to be reachable.
 *
 * @param root the kft checkout (the current directory, or {@code KFT_ROOT})
 * @param home {@code <root>/.kft} unless {@code KFT_HOME} says otherwise: logs, process ids,
 *     artifacts, registry exports
 * @param kafkaSecurity the client settings that authenticate the command to Kafka
 * @param overHttp whether jobs are submitted and followed through the registry's API, not Kafka
 */
public record Settings(
    Path root,
    Path home,
    String kafka,
    String registry,
    String inference,
    String token,
    Map<String, String> kafkaSecurity,
    boolean overHttp) {

  static final String FILE = "stack.properties";

  /** Where {@code --registry-url} leaves the remote registry for {@link #load}. */
  static final String REGISTRY_URL = "kft.registry-url";

  /** Reads the settings of the current environment. */
  public static Settings load() {
    Path root = Path.of(setting("kft.root", "KFT_ROOT", ".")).toAbsolutePath().normalize();
    Path home =
        Path.of(setting("kft.home", "KFT_HOME", root.resolve(".kft").toString()))
            .toAbsolutePath()
            .normalize();
    String remote = setting(REGISTRY_URL, "KFT_REGISTRY_URL", null);
    Properties stack = new Properties();
    Path file = home.resolve(FILE);
    if (Files.isRegularFile(file)) {
      try (Reader r = Files.newBufferedReader(file)) {
        stack.load(r);
      } catch (IOException e) {
        throw new IllegalStateException("cannot read " + file + ": " + e.getMessage(), e);
      }
    }
    return new Settings(
        root,
        home,
        env("KFT_KAFKA", stack.getProperty("kafka", "127.0.0.1:9092")),
        remote != null
            ? remote.replaceAll("/+$", "")
            : env("KFT_REGISTRY", stack.getProperty("registry", "http://127.0.0.1:8084")),
        env("KFT_INFERENCE", stack.getProperty("inference", "http://127.0.0.1:8085")),
        env("KFT_TOKEN", stack.getProperty("token")),
        kafkaSecurity(home),
        remote != null);
  }

  /** How the command's own Kafka clients reach the broker and who they are. */
  public KafkaConnection kafkaConnection() {
    Map<String, Object> config = new HashMap<>(kafkaSecurity);
    config.put("bootstrap.servers", kafka);
    return KafkaConnection.of(config);
  }

  /**
   * The settings of {@code KFT_KAFKA_CONFIG}, else, for the local stack, those of its {@code
   * kft-cli} user, else none.
   */
  private static Map<String, String> kafkaSecurity(Path home) {
    String file = System.getenv("KFT_KAFKA_CONFIG");
    try {
      if (file != null && !file.isBlank()) {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(Path.of(file))) {
          p.load(r);
        }
        Map<String, String> settings = new HashMap<>();
        p.stringPropertyNames().forEach(k -> settings.put(k, p.getProperty(k)));
        return settings;
      }
      if (System.getenv("KFT_KAFKA") != null) {
        return Map.of();
      }
      return KafkaUsers.load(home).map(u -> u.clientSettings(KafkaAcls.CLI)).orElse(Map.of());
    } catch (IOException e) {
      throw new IllegalStateException(
          "KFT_KAFKA_CONFIG: cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  /** A system property, else an environment variable, else the fallback. */
  private static String setting(String property, String variable, String fallback) {
    String value = System.getProperty(property);
    return value != null ? value : env(variable, fallback);
  }

  private static String env(String name, String fallback) {
    String value = System.getenv(name);
    return value == null || value.isBlank() ? fallback : value;
  }
}
