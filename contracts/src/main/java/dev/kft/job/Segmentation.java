package dev.kft.job;

/**
 * How augmentation splits text into words: by the script of the text ({@code auto}: {@code word}
 * for text with CJK characters, {@code whitespace} otherwise), into words by HanLP's segmenter
 * ({@code word}), per character with the synonym dictionary's words kept whole ({@code char}), or
 * at whitespace.
 */
public enum Segmentation implements SpecValue {
  AUTO,
  WORD,
  CHAR,
  WHITESPACE;

  /** The name in a job spec, so that messages and reports read as the user wrote it. */
  @Override
  public String toString() {
    return id();
  }
}
