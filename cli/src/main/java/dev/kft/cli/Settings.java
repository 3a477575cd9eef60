package dev.kft.cli;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/**
 * Where kft's local state lives and how to reach a stack. {@code kft up} writes {@code
 * .kft/stack.properties} (ports, token); environment variables {@code KFT_KAFKA}, {@code
 * KFT_REGISTRY} and {@code KFT_TOKEN} point the command at another stack instead.
 *
 * @param root the kft checkout (the current directory, or {@code KFT_ROOT})
 * @param home {@code <root>/.kft}: logs, process ids, artifacts, registry exports
 */
public record Settings(Path root, Path home, String kafka, String registry, String token) {

  static final String FILE = "stack.properties";

  /** Reads the settings of the current environment. */
  public static Settings load() {
    Path root = Path.of(System.getenv().getOrDefault("KFT_ROOT", ".")).toAbsolutePath().normalize();
    Path home = root.resolve(".kft");
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
        env("KFT_TOKEN", stack.getProperty("token")));
  }

  private static String env(String name, String fallback) {
    String value = System.getenv(name);
    return value == null || value.isBlank() ? fallback : value;
  }
}
