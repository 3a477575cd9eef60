package dev.kft.job;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * The modules LoRA adapts, as PEFT takes them: a list of names matched against the end of each
 * module's name, or one string that is either {@code all-linear} or a regular expression matched
 * against whole module names.
 *
 * @param names module names, or empty when {@code pattern} is set
 * @param pattern {@code all-linear} or a regular expression, or {@code null} when names are set
 */
public record TargetModules(List<String> names, String pattern) {

  /** The keyword for every linear layer but the classifier head. */
  public static final String ALL_LINEAR = "all-linear";

  public TargetModules {
    names = names != null ? List.copyOf(names) : List.of();
  }

  /** Target modules given by name. */
  public static TargetModules of(String... names) {
    return new TargetModules(List.of(names), null);
  }

  @JsonCreator
  static TargetModules fromJson(JsonNode node) {
    if (node.isTextual()) {
      return new TargetModules(List.of(), node.asText());
    }
    List<String> names = new ArrayList<>();
    node.forEach(n -> names.add(n.asText()));
    return new TargetModules(names, null);
  }

  @JsonValue
  Object toJson() {
    return pattern != null ? pattern : names;
  }
}
