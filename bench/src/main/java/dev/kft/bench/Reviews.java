package dev.kft.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Review texts of a one-line-per-row {@code label,review} CSV such as ChnSentiCorp's. */
final class Reviews {

  private Reviews() {}

  /**
   * {@code count} reviews spread evenly over the file (it lists one label's rows, then the
   * other's).
   */
  static List<String> spread(Path csv, int count) throws IOException {
    List<String> lines = Files.readAllLines(csv, StandardCharsets.UTF_8);
    List<String> texts = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      String row = lines.get(1 + (int) ((long) i * (lines.size() - 1) / count));
      String text = row.substring(row.indexOf(',') + 1);
      if (text.startsWith("\"") && text.endsWith("\"")) {
        text = text.substring(1, text.length() - 1).replace("\"\"", "\"");
      }
      texts.add(text);
    }
    return texts;
  }
}
