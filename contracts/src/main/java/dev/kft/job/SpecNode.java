package dev.kft.job;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.function.DoublePredicate;

/**
 * A position in a job spec tree (an object at a path) that reads typed fields and records every
 * problem it meets instead of stopping at the first.
 */
final class SpecNode {

  private final JsonNode node;
  private final String path;
  private final List<Problem> problems;

  SpecNode(JsonNode node, String path, List<Problem> problems) {
    this.node = node;
    this.path = path;
    this.problems = problems;
  }

  String path() {
    return path;
  }

  /** The section itself, for rewriting names before it is checked; null when not an object. */
  ObjectNode section() {
    return node instanceof ObjectNode object ? object : null;
  }

  String pathOf(String key) {
    return path.isEmpty() ? key : path + "." + key;
  }

  /** Whether any problem was recorded at or below this node. */
  boolean hasProblems() {
    return problems.stream()
        .anyMatch(
            p ->
                p.path().equals(path)
                    || p.path().startsWith(path + ".")
                    || p.path().startsWith(path + "["));
  }

  /** The keys present at this node. */
  Iterator<String> keys() {
    return node.fieldNames();
  }

  boolean has(String key) {
    return node.has(key) && !node.get(key).isNull();
  }

  void problem(String key, String message) {
    problems.add(new Problem(key == null ? path : pathOf(key), message));
  }

  /** Reports every key not in {@code known}, suggesting the nearest known one. */
  void allowOnly(Collection<String> known) {
    for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!known.contains(name)) {
        String hint = Suggestions.nearest(name, known);
        problem(name, "unknown key" + (hint == null ? "" : "; did you mean '" + hint + "'?"));
      }
    }
  }

  /** The object under {@code key}, or null when absent or not an object (reported). */
  SpecNode object(String key) {
    if (!has(key)) {
      return null;
    }
    JsonNode child = node.get(key);
    if (!child.isObject()) {
      problem(key, "must be a mapping of keys to values, got " + describe(child));
      return null;
    }
    return new SpecNode(child, pathOf(key), problems);
  }

  String string(String key) {
    if (!has(key)) {
      return null;
    }
    JsonNode value = node.get(key);
    if (!value.isTextual()) {
      problem(key, "must be a string, got " + describe(value));
      return null;
    }
    return value.asText();
  }

  String nonBlank(String key) {
    String value = string(key);
    if (value != null && value.isBlank()) {
      problem(key, "must not be empty");
      return null;
    }
    return value;
  }

  String oneOf(String key, List<String> allowed) {
    String value = string(key);
    if (value != null && !allowed.contains(value)) {
      String hint = Suggestions.nearest(value, allowed);
      problem(
          key,
          "must be one of "
              + allowed
              + ", got '"
              + value
              + "'"
              + (hint == null ? "" : "; did you mean '" + hint + "'?"));
      return null;
    }
    return value;
  }

  Boolean bool(String key) {
    if (!has(key)) {
      return null;
    }
    JsonNode value = node.get(key);
    if (!value.isBoolean()) {
      problem(key, "must be true or false, got " + describe(value));
      return null;
    }
    return value.booleanValue();
  }

  /** A number checked by {@code ok}; {@code rule} says what {@code ok} wants (e.g. "> 0"). */
  Double number(String key, String rule, DoublePredicate ok) {
    if (!has(key)) {
      return null;
    }
    JsonNode value = node.get(key);
    if (!value.isNumber()) {
      problem(key, "must be a number, got " + describe(value));
      return null;
    }
    return check(key, value.doubleValue(), value.asText(), rule, ok);
  }

  /** An integer of at least {@code min}. */
  Long integer(String key, long min) {
    if (!has(key)) {
      return null;
    }
    JsonNode value = node.get(key);
    if (!value.isIntegralNumber() || !value.canConvertToLong()) {
      problem(key, "must be an integer, got " + describe(value));
      return null;
    }
    Double checked = check(key, value.longValue(), value.asText(), ">= " + min, v -> v >= min);
    return checked == null ? null : value.longValue();
  }

  /** A list of strings, each checked against {@code allowed} when it is not null. */
  List<String> strings(String key, List<String> allowed) {
    if (!has(key)) {
      return null;
    }
    JsonNode value = node.get(key);
    if (!value.isArray()) {
      problem(key, "must be a list of strings, got " + describe(value));
      return null;
    }
    List<String> items = new ArrayList<>();
    for (int i = 0; i < value.size(); i++) {
      JsonNode item = value.get(i);
      String itemPath = pathOf(key) + "[" + i + "]";
      if (!item.isTextual()) {
        problems.add(new Problem(itemPath, "must be a string, got " + describe(item)));
      } else if (allowed != null && !allowed.contains(item.asText())) {
        String hint = Suggestions.nearest(item.asText(), allowed);
        problems.add(
            new Problem(
                itemPath,
                "must be one of "
                    + allowed
                    + ", got '"
                    + item.asText()
                    + "'"
                    + (hint == null ? "" : "; did you mean '" + hint + "'?")));
      } else {
        items.add(item.asText());
      }
    }
    return items;
  }

  JsonNode raw(String key) {
    return node.get(key);
  }

  private Double check(String key, double value, String text, String rule, DoublePredicate ok) {
    if (!ok.test(value)) {
      problem(key, "must be " + rule + ", got " + text);
      return null;
    }
    return value;
  }

  static String describe(JsonNode value) {
    if (value.isTextual()) {
      return "'" + value.asText() + "'";
    }
    if (value.isObject()) {
      return "a mapping";
    }
    if (value.isArray()) {
      return "a list";
    }
    return value.toString();
  }
}
