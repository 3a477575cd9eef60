package dev.kft.job;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kft.json.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads job specs from YAML or JSON, validates them and binds them to {@link JobSpec}. */
public final class JobSpecs {

  private JobSpecs() {}

  /**
   * Parses YAML or JSON text (JSON is YAML) into a tree.
   *
   * @throws SpecSyntaxException with the line and column when the text is not YAML
   */
  public static JsonNode parse(String text) {
    try {
      // a key given twice would otherwise silently keep the last value
      JsonNode tree =
          Json.yaml()
              .reader()
              .with(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
              .readTree(text);
      return tree == null ? Json.mapper().missingNode() : tree;
    } catch (JsonProcessingException e) {
      Matcher duplicate = DUPLICATE.matcher(e.getOriginalMessage());
      throw new SpecSyntaxException(
          duplicate.find()
              ? "the key '" + duplicate.group(1) + "' is given twice in one section"
              : e.getOriginalMessage(),
          e.getLocation());
    }
  }

  /** Jackson's words for a key read twice into one object. */
  private static final Pattern DUPLICATE = Pattern.compile("^Duplicate field '([^']*)'");

  /** Reads and parses a spec file. */
  public static JsonNode read(Path file) throws IOException {
    return parse(Files.readString(file));
  }

  /**
   * Sets one value of a spec tree, as {@code kft submit --set training.learning_rate=3e-5} asks:
   * the dotted path names nested keys (sections are made when missing), the value is read as YAML
   * (so {@code 3e-5} is a number, {@code [query, value]} a list, {@code null} removes the key).
   *
   * @return the tree with the value set (a new object when {@code tree} was not one)
   * @throws IllegalArgumentException naming the assignment when it cannot be applied
   */
  public static JsonNode override(JsonNode tree, String assignment) {
    int eq = assignment.indexOf('=');
    String path = eq < 0 ? "" : assignment.substring(0, eq).strip();
    if (eq < 0 || !path.matches("[A-Za-z0-9_-]+(\\.[A-Za-z0-9_-]+)*")) {
      throw new IllegalArgumentException(
          "--set " + assignment + ": expected section.key=value, e.g. training.learning_rate=3e-5");
    }
    JsonNode value;
    try {
      value = parse(assignment.substring(eq + 1));
    } catch (SpecSyntaxException e) {
      throw new IllegalArgumentException("--set " + assignment + ": " + e.getMessage());
    }
    ObjectNode root = tree instanceof ObjectNode o ? o : Json.mapper().createObjectNode();
    ObjectNode section = root;
    String[] keys = path.split("\\.");
    for (int i = 0; i < keys.length - 1; i++) {
      JsonNode next = section.get(keys[i]);
      if (next == null || next.isNull()) {
        next = section.putObject(keys[i]);
      } else if (!next.isObject()) {
        throw new IllegalArgumentException(
            "--set "
                + assignment
                + ": "
                + String.join(".", java.util.Arrays.copyOf(keys, i + 1))
                + " is a value, not a section");
      }
      section = (ObjectNode) next;
    }
    String key = keys[keys.length - 1];
    if (value.isMissingNode() || value.isNull()) {
      section.remove(key);
    } else {
      section.set(key, value);
    }
    return root;
  }

  /**
   * Validates a tree and, when it has no problems, binds it with every default filled in; Hugging
   * Face names read differently ({@code evaluation_strategy}, {@code output_dir}, ...) come back as
   * warnings. {@code tree} itself is left as it is.
   */
  public static ValidatedSpec validate(JsonNode tree) {
    JsonNode copy = tree == null ? null : tree.deepCopy();
    List<Problem> warnings = new ArrayList<>();
    List<Problem> problems = JobSpecValidator.validate(copy, warnings);
    if (!problems.isEmpty()) {
      return new ValidatedSpec(null, problems, warnings);
    }
    try {
      return new ValidatedSpec(Json.mapper().treeToValue(copy, JobSpec.class), List.of(), warnings);
    } catch (JsonProcessingException e) {
      return new ValidatedSpec(null, List.of(new Problem("", e.getOriginalMessage())), warnings);
    }
  }
}
