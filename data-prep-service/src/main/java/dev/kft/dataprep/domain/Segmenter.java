package dev.kft.dataprep.domain;

import dev.kft.job.Segmentation;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits text into the tokens augmentation works on. In {@code char} mode CJK text is cut by
 * forward maximum matching against the synonym dictionary (a dictionary word is one token, any
 * other CJK character a token of its own) and other text at whitespace; in {@code whitespace} mode
 * all text splits at whitespace; {@code auto} picks {@code char} for text with CJK in it.
 */
final class Segmenter {

  private final Segmentation mode;
  private final Synonyms dictionary;

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

  boolean characterMode(String text) {
    return mode == Segmentation.CHAR
        || (mode == Segmentation.AUTO && text.codePoints().anyMatch(Segmenter::isCjk));
  }

  List<String> tokens(String text) {
    List<String> tokens = new ArrayList<>();
    if (!characterMode(text)) {
      for (String t : text.strip().split("\\s+")) {
        if (!t.isEmpty()) {
          tokens.add(t);
        }
      }
      return tokens;
    }
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

  /** Joins tokens back: a space only between two tokens that are not CJK characters. */
  String join(List<String> tokens, boolean characterMode) {
    if (!characterMode) {
      return String.join(" ", tokens);
    }
    StringBuilder out = new StringBuilder();
    String previous = null;
    for (String t : tokens) {
      if (previous != null && !isCjk(previous.codePointAt(0)) && !isCjk(t.codePointAt(0))) {
        out.append(' ');
      }
      out.append(t);
      previous = t;
    }
    return out.toString();
  }
}
