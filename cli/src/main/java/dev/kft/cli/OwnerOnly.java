package dev.kft.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Set;

/** Files of the local stack that hold secrets: readable by their owner alone, at no moment not. */
final class OwnerOnly {

  private static final Set<PosixFilePermission> READ_WRITE =
      PosixFilePermissions.fromString("rw-------");

  private OwnerOnly() {}

  /** Writes {@code file} (a file from an earlier kft is tightened first). */
  static void write(Path file, String content) throws IOException {
    if (Files.exists(file)) {
      Files.setPosixFilePermissions(file, READ_WRITE);
    } else {
      Files.createFile(file, PosixFilePermissions.asFileAttribute(READ_WRITE));
    }
    Files.writeString(file, content);
  }

  /** Makes a file that exists readable by its owner alone. */
  static void tighten(Path file) throws IOException {
    Files.setPosixFilePermissions(file, READ_WRITE);
  }

  /** The secret kept in {@code file}, made there first when there is none. */
  static String secretIn(Path file) throws IOException {
    if (Files.isRegularFile(file)) {
      tighten(file);
      return Files.readString(file).trim();
    }
    String secret = secret();
    write(file, secret);
    return secret;
  }

  /** 32 random bytes in hex: a token or a password. */
  static String secret() {
    byte[] bytes = new byte[32];
    new SecureRandom().nextBytes(bytes);
    return HexFormat.of().formatHex(bytes);
  }
}
