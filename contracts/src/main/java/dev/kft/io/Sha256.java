package dev.kft.io;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** SHA-256 digests, hex-encoded, for the lineage of datasets, checkpoints and models. */
public final class Sha256 {

  private Sha256() {}

  /** A fresh SHA-256 digest. */
  public static MessageDigest newDigest() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }

  /** The digest of a file's bytes, streamed. */
  public static String file(Path file) throws IOException {
    MessageDigest digest = newDigest();
    try (InputStream in = Files.newInputStream(file)) {
      byte[] buffer = new byte[1 << 16];
      for (int n = in.read(buffer); n > 0; n = in.read(buffer)) {
        digest.update(buffer, 0, n);
      }
    }
    return hex(digest);
  }

  /** The lowercase hex sha256 of {@code data}. */
  public static String of(byte[] data) {
    MessageDigest digest = newDigest();
    digest.update(data);
    return hex(digest);
  }

  /** The hex form of a digest's result. */
  public static String hex(MessageDigest digest) {
    return HexFormat.of().formatHex(digest.digest());
  }
}
