package dev.kft.dataprep.domain;

import com.hankcs.hanlp.HanLP;
import com.hankcs.hanlp.seg.Segment;
import com.hankcs.hanlp.seg.common.Term;
import dev.kft.job.Segmentation;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits text into the words augmentation works on. In {@code word} mode HanLP's segmenter cuts the
 * text into words, and neighbouring words that together make one word of the synonym dictionary are
 * joined, so that the dictionary's compounds stay whole. In {@code char} mode CJK text is cut by
 * forward maximum matching against the dictionary (a dictionary word is one token, any other CJK
 * character a token of its own) and other text at whitespace; in {@code whitespace} mode all text
 * splits at whitespace; {@code auto} picks {@code word} for text with CJK in it.
 */
final class Segmenter {

  private final Segmentation mode;
  private final Synonyms dictionary;
  private Segment words;

  Segmenter(Segmentation mode, Synonyms dictionary) {
    this.mode = mode;
    this.dictionary = dictionary;
  }

  static boolean isCjk(int c) {
    Character.UnicodeScript s = Character.UnicodeScript.of(c);
    return s == Character.UnicodeScript.HAN
        || s == Character.UnicodeScript.HIRAGANA
        || s == Character.UnicodeScript.KATAKANA
        || s == Character.UnicodeScript.HANGUL;
  }

  /** Whether the text is cut as CJK text (words or characters) rather than at whitespace. */
  boolean cjkMode(String text) {
    return mode == Segmentation.CHAR
        || mode == Segmentation.WORD
        || (mode == Segmentation.AUTO && text.codePoints().anyMatch(Segmenter::isCjk));
  }

  List<String> tokens(String text) {
    if (!cjkMode(text)) {
      List<String> tokens = new ArrayList<>();
      for (String t : text.strip().split("\\s+")) {
        if (!t.isEmpty()) {
          tokens.add(t);
        }
      }
      return tokens;
    }
    return mode == Segmentation.CHAR ? characters(text) : words(text);
  }

  private List<String> words(String text) {
    if (words == null) {
      words = HanLP.newSegment();
    }
    List<String> found = new ArrayList<>();
    for (Term term : words.seg(text)) {
      if (!term.word.isBlank()) {
        found.add(term.word);
      }
    }
    return dictionary == null ? found : joinDictionaryWords(found);
  }

  private List<String> joinDictionaryWords(List<String> found) {
    List<String> tokens = new ArrayList<>();
    for (int i = 0; i < found.size(); ) {
      int end = i + 1;
      StringBuilder joined = new StringBuilder(found.get(i));
      for (int j = i + 1; j < found.size(); j++) {
        joined.append(found.get(j));
        if (joined.length() > dictionary.longestWord()) {
          break;
        }
        if (!dictionary.of(joined.toString()).isEmpty()) {
          end = j + 1;
        }
      }
      tokens.add(String.join("", found.subList(i, end)));
      i = end;
    }
    return tokens;
  }

  private List<String> characters(String text) {
    List<String> tokens = new ArrayList<>();
    StringBuilder run = new StringBuilder();
    int i = 0;
    while (i < text.length()) {
      int c = text.codePointAt(i);
      if (isCjk(c) || Character.isWhitespace(c)) {
        if (run.length() > 0) {
          tokens.add(run.toString());
          run.setLength(0);
        }
        if (Character.isWhitespace(c)) {
          i += Character.charCount(c);
        } else {
          String word = longestWordAt(text, i);
          tokens.add(word);
          i += word.length();
        }
      } else {
        run.appendCodePoint(c);
        i += Character.charCount(c);
      }
    }
    if (run.length() > 0) {
      tokens.add(run.toString());
    }
    return tokens;
  }

  private String longestWordAt(String text, int start) {
    if (dictionary != null) {
      for (int end = Math.min(text.length(), start + dictionary.longestWord());
          end > start + 1;
          end--) {
        String candidate = text.substring(start, end);
        if (!dictionary.of(candidate).isEmpty()) {
          return candidate;
        }
      }
    }
    return new String(Character.toChars(text.codePointAt(start)));
  }

  /**
   * Joins tokens back: a space only between two words of a script written with spaces (a letter or
   * digit that is not CJK ends the one and starts the other); never beside CJK text or punctuation.
   */
  String join(List<String> tokens, boolean cjkMode) {
    if (!cjkMode) {
      return String.join(" ", tokens);
    }
    StringBuilder out = new StringBuilder();
    String previous = null;
    for (String t : tokens) {
      if (previous != null
          && spacedWord(previous.codePointBefore(previous.length()))
          && spacedWord(t.codePointAt(0))) {
        out.append(' ');
      }
      out.append(t);
      previous = t;
    }
    return out.toString();
  }

  private static boolean spacedWord(int c) {
    return Character.isLetterOrDigit(c) && !isCjk(c);
  }
}
