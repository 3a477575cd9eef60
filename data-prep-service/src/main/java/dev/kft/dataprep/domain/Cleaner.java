package dev.kft.dataprep.domain;

import java.text.Normalizer;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Applies a job's text-cleaning steps in order. Steps that drop rows ({@code drop_empty}, {@code
 * drop_duplicates}) are decided by {@link RowFilter}; this class only rewrites text.
 *
 * <ul>
 *   <li>{@code nfkc}: Unicode NFKC normalisation (also folds full-width forms)
 *   <li>{@code fullwidth_to_halfwidth}: full-width ASCII forms and the ideographic space to ASCII
 *   <li>{@code strip_html}: removes tags and decodes the common entities
 *   <li>{@code strip_urls}: removes http(s) and www. addresses
 *   <li>{@code clean_text}: keeps letters, digits, CJK and whitespace, and common punctuation of
 *       both scripts; removes other symbols (emoji, control characters); collapses whitespace
 *   <li>{@code lowercase}, {@code collapse_whitespace}
 * </ul>
 */
public final class Cleaner {

  private static final Pattern TAG = Pattern.compile("<[^>]{0,2000}>");
  private static final Pattern URL = Pattern.compile("(?i)\\b(?:https?://|www\\.)\\S+");
  private static final Pattern SPACE = Pattern.compile("\\s+");
  private static final Pattern SPECIAL =
      Pattern.compile("[^\\p{L}\\p{N}\\s，。！？、；：“”‘’（）《》…,.!?;:'\"()\\-]");

  private final List<String> steps;

  public Cleaner(List<String> steps) {
    this.steps = List.copyOf(steps);
  }

  public String clean(String text) {
    String t = text;
    for (String step : steps) {
      t =
          switch (step) {
            case "nfkc" -> Normalizer.normalize(t, Normalizer.Form.NFKC);
            case "fullwidth_to_halfwidth" -> halfWidth(t);
            case "strip_html" -> decodeEntities(TAG.matcher(t).replaceAll(" "));
            case "strip_urls" -> URL.matcher(t).replaceAll(" ");
            case "clean_text" -> collapse(SPECIAL.matcher(t).replaceAll(""));
            case "lowercase" -> t.toLowerCase(Locale.ROOT);
            case "collapse_whitespace" -> collapse(t);
            default -> t;
          };
    }
    return t;
  }

  /** Whether rows whose cleaned text is empty are dropped. */
  public boolean dropsEmpty() {
    return steps.contains("drop_empty");
  }

  /** Whether rows repeating an earlier row's cleaned text are dropped. */
  public boolean dropsDuplicates() {
    return steps.contains("drop_duplicates");
  }

  static String halfWidth(String text) {
    StringBuilder out = new StringBuilder(text.length());
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '\u3000') {
        out.append(' ');
      } else if (c >= '\uFF01' && c <= '\uFF5E') {
        out.append((char) (c - 0xFEE0));
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }

  private static String collapse(String text) {
    return SPACE.matcher(text).replaceAll(" ").strip();
  }

  private static String decodeEntities(String text) {
    return text.replace("&nbsp;", " ")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&");
  }
}
