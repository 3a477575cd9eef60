package dev.kft.dataprep.domain;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/** The sha256 digests that tie a prepared dataset to its sources, for lineage. */
final class Digests {

  private final MessageDigest source = sha256();
  private String normalised;

  MessageDigest source() {
    return source;
  }

  String sourceHex() {
    return HexFormat.of().formatHex(source.digest());
  }

  /** Digests the kept examples as {@code split \t label \t text \t pair \n}, splits in order. */
  void normalised(Splitter.Parts parts, List<String> labels) {
    MessageDigest digest = sha256();
    add(digest, "train", parts.train(), labels);
    add(digest, "validation", parts.validation(), labels);
    add(digest, "test", parts.test(), labels);
    normalised = HexFormat.of().formatHex(digest.digest());
  }

  String normalisedHex() {
    return normalised;
  }

  private static void add(
      MessageDigest digest, String split, List<Example> examples, List<String> labels) {
    for (Example e : examples) {
      String line =
          split
              + '\t'
              + labels.get(e.label())
              + '\t'
              + e.text()
              + '\t'
              + (e.pair() == null ? "" : e.pair())
              + '\n';
      digest.update(line.getBytes(StandardCharsets.UTF_8));
    }
  }

  static String fileHex(Path file) throws IOException {
    MessageDigest digest = sha256();
    try (InputStream in = Files.newInputStream(file)) {
      byte[] buffer = new byte[1 << 16];
      for (int n = in.read(buffer); n > 0; n = in.read(buffer)) {
        digest.update(buffer, 0, n);
      }
    }
    return HexFormat.of().formatHex(digest.digest());
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
