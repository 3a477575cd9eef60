package dev.kft.registry.domain;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A search filter in MLflow's syntax for registered models and model versions: comparisons joined
 * by {@code AND}, such as {@code name LIKE 'sentiment-%' AND tags.team = 'nlp'}. Attributes are
 * {@code name}, {@code run_id} and {@code tags.<key>} (key optionally in back-quotes); operators
 * are {@code =}, {@code !=}, {@code LIKE} and {@code ILIKE} ({@code %} any run, {@code _} one
 * character); values are single- or double-quoted strings.
 */
public final class SearchFilter {

  private static final Pattern CLAUSE =
      Pattern.compile(
          "\\s*(name|run_id|tags\\.(?:`[^`]+`|[\\w.-]+))\\s*(=|!=|(?i:ilike|like))\\s*"
              + "('([^']*)'|\"([^\"]*)\")\\s*");
  private static final Pattern AND = Pattern.compile("(?i)\\s+and\\s+");

  private record Clause(String attribute, String operator, String value) {}

  private final List<Clause> clauses;

  private SearchFilter(List<Clause> clauses) {
    this.clauses = clauses;
  }

  /**
   * Parses a filter; blank or null matches everything.
   *
   * @throws IllegalArgumentException naming the clause that is not understood
   */
  public static SearchFilter parse(String filter) {
    List<Clause> clauses = new ArrayList<>();
    if (filter == null || filter.isBlank()) {
      return new SearchFilter(clauses);
    }
    for (String part : splitOnAnd(filter)) {
      Matcher m = CLAUSE.matcher(part);
      if (!m.matches()) {
        throw new IllegalArgumentException(
            "filter: cannot read '"
                + part.strip()
                + "'; expected name, run_id or tags.<key>, then =, !=, LIKE or ILIKE, then a"
                + " quoted string");
      }
      String attribute = m.group(1).replace("`", "");
      String value = m.group(4) != null ? m.group(4) : m.group(5);
      clauses.add(new Clause(attribute, m.group(2).toUpperCase(Locale.ROOT), value));
    }
    return new SearchFilter(clauses);
  }

  /** Splits on {@code AND} outside quotes, so that a quoted value may contain the word. */
  private static List<String> splitOnAnd(String filter) {
    List<String> parts = new ArrayList<>();
    char quote = 0;
    int start = 0;
    for (int i = 0; i < filter.length(); i++) {
      char c = filter.charAt(i);
      if (quote != 0) {
        quote = c == quote ? 0 : quote;
      } else if (c == '\'' || c == '"') {
        quote = c;
      } else {
        Matcher and = AND.matcher(filter).region(i, filter.length());
        if (and.lookingAt()) {
          parts.add(filter.substring(start, i));
          start = and.end();
          i = and.end() - 1;
        }
      }
    }
    parts.add(filter.substring(start));
    return parts;
  }

  /**
   * Whether an item matches every clause.
   *
   * @param attributes the item's {@code name} and {@code run_id} (absent ones never match)
   * @param tags its tags
   */
  public boolean test(Function<String, String> attributes, Map<String, String> tags) {
    for (Clause c : clauses) {
      String actual =
          c.attribute().startsWith("tags.")
              ? tags.get(c.attribute().substring("tags.".length()))
              : attributes.apply(c.attribute());
      if (actual == null || !holds(c, actual)) {
        return false;
      }
    }
    return true;
  }

  private static boolean holds(Clause c, String actual) {
    return switch (c.operator()) {
      case "=" -> actual.equals(c.value());
      case "!=" -> !actual.equals(c.value());
      case "LIKE" -> like(c.value(), 0).matcher(actual).matches();
      default ->
          like(c.value(), Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE)
              .matcher(actual)
              .matches();
    };
  }

  private static Pattern like(String pattern, int flags) {
    StringBuilder regex = new StringBuilder();
    for (String literal : pattern.split("(?=[%_])|(?<=[%_])")) {
      switch (literal) {
        case "%" -> regex.append(".*");
        case "_" -> regex.append('.');
        default -> regex.append(Pattern.quote(literal));
      }
    }
    return Pattern.compile(regex.toString(), flags | Pattern.DOTALL);
  }
}
