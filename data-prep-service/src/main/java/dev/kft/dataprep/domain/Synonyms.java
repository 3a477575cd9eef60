package dev.kft.dataprep.domain;

import java.io.BufferedReader;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A synonym dictionary: one group of interchangeable words per line, separated by whitespace; lines
 * starting with {@code #} are comments. A word in several groups takes them all.
 */
public final class Synonyms {

  private final Map<String, List<String>> groups = new HashMap<>();
  private int longestWord;

  /** Reads a dictionary; a file without any group of two or more words is a problem. */
  public static Synonyms read(BufferedReader in, String name) throws IOException {
    Synonyms synonyms = new Synonyms();
    for (String line = in.readLine(); line != null; line = in.readLine()) {
      String trimmed = line.strip();
      if (trimmed.isEmpty() || trimmed.startsWith("#")) {
        continue;
      }
      List<String> words = List.of(trimmed.split("\\s+"));
      if (words.size() < 2) {
        continue;
      }
      for (String word : words) {
        List<String> others = synonyms.groups.computeIfAbsent(word, w -> new ArrayList<>());
        words.stream().filter(w -> !w.equals(word) && !others.contains(w)).forEach(others::add);
        synonyms.longestWord = Math.max(synonyms.longestWord, word.length());
      }
    }
    if (synonyms.groups.isEmpty()) {
      throw new DataProblem(
          name + " holds no synonym group (one group of two or more words " + "per line)");
    }
    return synonyms;
  }

  /** The other words of the word's groups; empty when it has none. */
  public List<String> of(String word) {
    return groups.getOrDefault(word, List.of());
  }

  /** Length of the longest word, for longest-match scanning. */
  int longestWord() {
    return longestWord;
  }
}
