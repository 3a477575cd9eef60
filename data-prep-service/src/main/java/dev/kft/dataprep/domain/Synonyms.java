package dev.kft.dataprep.domain;

import dev.kft.events.DatasetPrepared.AugmentationReport;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A synonym dictionary: one group of interchangeable words per line, separated by whitespace; lines
 * starting with {@code #} are comments. Lines in the Tongyici Cilin format ({@code Aa01A01= 人 士
 * 人物}) are read too: a group's code is dropped, and only groups marked {@code =} are synonyms
 * ({@code #} groups are merely related words, {@code @} words stand alone). A word in several
 * groups takes them all.
 */
public final class Synonyms {

  /** Where HanLP's jar keeps the extended Tongyici Cilin. */
  static final String SHIPPED = "/data/dictionary/synonym/CoreSynonym.txt";

  private static final Pattern CILIN_CODE = Pattern.compile("[A-Za-z]{2}\\d{2}[A-Za-z]\\d{2}[=#@]");

  private static volatile Synonyms shipped;

  private final Map<String, List<String>> groups = new HashMap<>();
  private final String source;
  private int longestWord;

  private Synonyms(String source) {
    this.source = source;
  }

  /**
   * The lexicon kft ships: the extended Tongyici Cilin of HanLP's jar, 45,367 Chinese words in
   * 9,995 synonym groups; read once.
   */
  public static Synonyms shipped() {
    Synonyms lexicon = shipped;
    if (lexicon == null) {
      try (InputStream in = Synonyms.class.getResourceAsStream(SHIPPED)) {
        if (in == null) {
          throw new IllegalStateException(SHIPPED + " is missing from the class path (HanLP)");
        }
        lexicon =
            read(
                new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)),
                AugmentationReport.SHIPPED_LEXICON);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      shipped = lexicon;
    }
    return lexicon;
  }

  /**
   * Reads a dictionary; a file without any group of two or more words is a problem.
   *
   * @param source where it came from, for reports and messages
   */
  public static Synonyms read(BufferedReader in, String source) throws IOException {
    Synonyms synonyms = new Synonyms(source);
    for (String line = in.readLine(); line != null; line = in.readLine()) {
      String trimmed = line.replace("\uFEFF", "").strip();
      if (trimmed.isEmpty() || trimmed.startsWith("#")) {
        continue;
      }
      List<String> words = new ArrayList<>(List.of(trimmed.split("\\s+")));
      if (CILIN_CODE.matcher(words.get(0)).matches()) {
        if (!words.remove(0).endsWith("=")) {
          continue;
        }
      }
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
          "'" + source + "' holds no synonym group (one group of two or more words " + "per line)");
    }
    return synonyms;
  }

  /** Where the dictionary came from: a job's {@code synonyms_uri}, or the shipped lexicon. */
  public String source() {
    return source;
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
