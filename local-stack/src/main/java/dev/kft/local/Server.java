package dev.kft.local;

import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * Runs one server of the local stack in this process until it is told to stop (SIGTERM): {@code
 * kafka PORT DIR} or {@code postgres PORT DIR}. Prints {@value #READY} and the address once the
 * server answers, so the launcher can wait for that line.
 */
public final class Server {

  /** The line printed when the server is ready. */
  public static final String READY = "kft-local-ready";

  /**
   * The environment variable with the broker's super user password: when set, Kafka runs secured
   * (SASL/SCRAM and ACLs, see {@link KafkaBroker}). Not an argument, which every local user can
   * read.
   */
  public static final String ADMIN_PASSWORD = "KFT_KAFKA_ADMIN_PASSWORD";

  /** The environment variable with PostgreSQL's superuser password, set on first start. */
  public static final String POSTGRES_PASSWORD = "KFT_POSTGRES_PASSWORD";

  private Server() {}

  public static void main(String[] args) throws Exception {
    if (args.length != 3 || !(args[0].equals("kafka") || args[0].equals("postgres"))) {
      System.err.println("usage: Server kafka|postgres PORT DIR");
      System.exit(2);
    }
    int port = Integer.parseInt(args[1]);
    Path dir = Path.of(args[2]).toAbsolutePath();
    AutoCloseable server;
    String address;
    if (args[0].equals("kafka")) {
      KafkaBroker broker = KafkaBroker.start(dir, port, System.getenv(ADMIN_PASSWORD));
      server = broker;
      address = broker.bootstrapServers();
    } else {
      String password = System.getenv(POSTGRES_PASSWORD);
      if (password == null || password.isBlank()) {
        System.err.println(POSTGRES_PASSWORD + " must hold the superuser's password");
        System.exit(2);
      }
      LocalPostgres postgres = LocalPostgres.start(dir, port, true, password);
      server = postgres;
      address = postgres.jdbcUrl();
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  try {
                    server.close();
                  } catch (Exception e) {
                    System.err.println("stopping " + args[0] + " failed: " + e);
                  }
                  stopped.countDown();
                }));
    System.out.println(READY + " " + args[0] + " " + address);
    System.out.flush();
    stopped.await();
  }
}
