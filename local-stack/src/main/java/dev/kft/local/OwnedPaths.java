package dev.kft.local;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Directories the local stack keeps in shared places ({@code /tmp}, {@code /var/tmp}) under names
 * another local user can guess: used only when they are real directories of this user that no one
 * else may change, so that no one can plant a program or a link there first.
 */
public final class OwnedPaths {

  private OwnedPaths() {}

  /**
   * Refuses {@code dir} unless it, and everything in it, is a real directory or file of this user
   * that no one else may change (links inside it are not followed: an archive may hold some).
   */
  public static void requireOnlyMine(Path dir) throws IOException {
    if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
      throw new IOException(dir + " is not a directory of its own (a link?); remove it");
    }
    UserPrincipal me = me(dir);
    try (Stream<Path> all = Files.walk(dir)) {
      for (Path p : all.toList()) {
        if (!Files.isSymbolicLink(p)) {
          Optional<String> problem = problem(p, me);
          if (problem.isPresent()) {
            throw new IOException(
                problem.get()
                    + ": only "
                    + me.getName()
                    + " may change what kft runs; remove "
                    + dir);
          }
        }
      }
    }
  }

  /**
   * Makes {@code dir} for a data directory to live in, or checks the one there: a real directory of
   * this user that others may enter (as root, PostgreSQL runs as {@code nobody}) but not change.
   */
  public static void prepareParent(Path dir) throws IOException {
    if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
      Files.createDirectories(dir.getParent());
      Files.createDirectory(dir);
      Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx--x--x"));
      return;
    }
    UserPrincipal me = me(dir);
    if (Files.isSymbolicLink(dir)) {
      throw new IOException(dir + " is a link, not a directory of " + me.getName() + "; remove it");
    }
    Optional<String> problem = problem(dir, me);
    if (problem.isPresent()) {
      throw new IOException(problem.get() + ": only " + me.getName() + " may; remove it");
    }
    Set<PosixFilePermission> perms = EnumSet.copyOf(Files.getPosixFilePermissions(dir));
    perms.addAll(Set.of(PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.OTHERS_EXECUTE));
    Files.setPosixFilePermissions(dir, perms);
  }

  /** What makes {@code p} changeable by someone else than {@code me}, if anything. */
  private static Optional<String> problem(Path p, UserPrincipal me) throws IOException {
    PosixFileAttributes a =
        Files.readAttributes(p, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    if (a.owner().equals(me)
        && !a.permissions().contains(PosixFilePermission.GROUP_WRITE)
        && !a.permissions().contains(PosixFilePermission.OTHERS_WRITE)) {
      return Optional.empty();
    }
    return Optional.of(
        p
            + " belongs to "
            + a.owner().getName()
            + " with permissions "
            + PosixFilePermissions.toString(a.permissions()));
  }

  private static UserPrincipal me(Path p) throws IOException {
    return p.getFileSystem()
        .getUserPrincipalLookupService()
        .lookupPrincipalByName(System.getProperty("user.name"));
  }
}
