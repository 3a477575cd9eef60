package dev.kft.testing;

import dev.kft.io.FileTrees;
import dev.kft.local.LocalPostgres;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * A Quarkus test resource that starts a real PostgreSQL ({@link LocalPostgres}) with throw-away
 * data in the temporary directory and points the application's default datasource at it.
 */
public class PostgresResource implements QuarkusTestResourceLifecycleManager {

  /** The superuser's password of the test server: a test's throw-away secret. */
  public static final String PASSWORD = "kft-test-" + java.util.UUID.randomUUID();

  private static volatile LocalPostgres postgres;
  private Path dir;

  /**
   * Stops the server, waits {@code down}, and starts it again on the same port and data: an outage
   * of the database as its clients see it.
   */
  public static void restart(Duration down) throws IOException, InterruptedException {
    LocalPostgres running = postgres;
    running.close();
    Thread.sleep(down.toMillis());
    postgres = LocalPostgres.start(running.data(), running.port(), false, PASSWORD);
  }

  @Override
  public Map<String, String> start() {
    try {
      dir = Files.createTempDirectory("kft-postgres-test-");
      // as root the server runs as nobody, which must be able to enter this directory
      dir.toFile().setExecutable(true, false);
      postgres = LocalPostgres.start(dir.resolve("data"), 0, false, PASSWORD);
    } catch (IOException e) {
      throw new IllegalStateException("could not start PostgreSQL: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    return Map.of(
        "quarkus.datasource.jdbc.url",
        postgres.jdbcUrl(),
        "quarkus.datasource.username",
        "postgres",
        "quarkus.datasource.password",
        PASSWORD,
        "quarkus.datasource.devservices.enabled",
        "false");
  }

  @Override
  public void stop() {
    try {
      if (postgres != null) {
        postgres.close();
      }
      if (dir != null) {
        FileTrees.delete(dir);
      }
    } catch (IOException e) {
      throw new IllegalStateException("could not stop PostgreSQL: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
