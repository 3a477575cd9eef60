package dev.kft.registry.rest;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One page of an MLflow search answer, and the {@code order_by} and {@code page_token} rules
 * MLflow's searches follow.
 *
 * @param items this page's items
 * @param next the token of the next page, or null on the last
 */
record MlflowPage<T>(List<T> items, String next) {

  /**
   * Cuts a page from {@code all}.
   *
   * @param maxResults the asked page size, or null for {@code defaultSize}
   * @param token the previous answer's {@code next_page_token}, or null for the first page
   */
  static <T> MlflowPage<T> of(
      List<T> all, Integer maxResults, int defaultSize, int largest, String token) {
    int size = maxResults == null ? defaultSize : maxResults;
    if (size < 1 || size > largest) {
      throw MlflowError.invalid("max_results: must be 1 to " + largest + ", got " + size);
    }
    int from = token == null || token.isBlank() ? 0 : offset(token);
    int to = Math.min(all.size(), from + size);
    String next =
        to < all.size()
            ? Base64.getUrlEncoder()
                .encodeToString(String.valueOf(to).getBytes(StandardCharsets.UTF_8))
            : null;
    return new MlflowPage<>(from >= all.size() ? List.of() : all.subList(from, to), next);
  }

  private static int offset(String token) {
    try {
      int offset =
          Integer.parseInt(
              new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8));
      if (offset >= 0) {
        return offset;
      }
    } catch (IllegalArgumentException e) {
      // answered below
    }
    throw MlflowError.invalid("page_token: not a token this registry gave, got '" + token + "'");
  }

  /** The answer: {@code {<field>: items, next_page_token: ...}}. */
  Map<String, Object> answer(String field, List<?> converted) {
    Map<String, Object> answer = new LinkedHashMap<>();
    answer.put(field, converted);
    if (next != null) {
      answer.put("next_page_token", next);
    }
    return answer;
  }

  /**
   * The order {@code order_by} asks for ({@code "<key> [ASC|DESC]"}, the first key first), or the
   * first of {@code keys}' natural order when none is given.
   */
  static <T> Comparator<T> order(List<String> orderBy, Map<String, Comparator<T>> keys) {
    Comparator<T> order = null;
    for (String clause : orderBy == null ? List.<String>of() : orderBy) {
      String[] words = clause.strip().split("\\s+");
      Comparator<T> key = keys.get(words[0]);
      boolean desc = words.length == 2 && words[1].equalsIgnoreCase("DESC");
      if (key == null
          || words.length > 2
          || words.length == 2 && !desc && !words[1].equalsIgnoreCase("ASC")) {
        throw MlflowError.invalid(
            "order_by: cannot order by '" + clause + "'; keys are " + keys.keySet());
      }
      key = desc ? key.reversed() : key;
      order = order == null ? key : order.thenComparing(key);
    }
    return order != null ? order : keys.get("name");
  }
}
