package dev.kft.cli;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/**
 * Where kft's local state lives and how to reach a stack. {@code kft up} writes {@code
 * .kft/stack.properties} (ports, token); environment variables {@code KFT_KAFKA}, {@code
 * KFT_REGISTRY}, {@code KFT_INFERENCE} and {@code KFT_TOKEN} point the command at another stack
 * instead.
 *
 * @param root the kft checkout (the current directory, or {@code KFT_ROOT})
 * @param home {@code <root>/.kft} unless {@code KFT_HOME} says otherwise: logs, process ids,
 *     artifacts, registry exports
 */
public record Settings(
    Path root, Path home, String kafka, String registry, String inference, String token) {

  static final String FILE = "stack.properties";

  /** Reads the settings of the current environment. */
  public static Settings load() {
    Path root = Path.of(setting("kft.root", "KFT_ROOT", ".")).toAbsolutePath().normalize();
    Path home =
        Path.of(setting("kft.home", "KFT_HOME", root.resolve(".kft").toString()))
            .toAbsolutePath()
            .normalize();
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
        env("KFT_REGISTRY", stack.getProperty("registry", "http://127.0.0.1:8084")),
        env("KFT_INFERENCE", stack.getProperty("inference", "http://127.0.0.1:8085")),
        env("KFT_TOKEN", stack.getProperty("token")));
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
