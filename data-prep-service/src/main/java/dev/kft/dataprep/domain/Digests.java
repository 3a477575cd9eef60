package dev.kft.dataprep.domain;

import dev.kft.io.Sha256;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;

/** The sha256 digests that tie a prepared dataset to its sources, for lineage. */
final class Digests {

  private final MessageDigest source = Sha256.newDigest();
  private String normalised;

  MessageDigest source() {
    return source;
  }

  String sourceHex() {
    return Sha256.hex(source);
  }

  /** Digests the kept examples as {@code split \t label \t text \t pair \n}, splits in order. */
  void normalised(Splitter.Parts parts, List<String> labels) {
    MessageDigest digest = Sha256.newDigest();
    add(digest, "train", parts.train(), labels);
    add(digest, "validation", parts.validation(), labels);
    add(digest, "test", parts.test(), labels);
    normalised = Sha256.hex(digest);
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
}
