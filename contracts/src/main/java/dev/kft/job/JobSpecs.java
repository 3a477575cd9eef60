package dev.kft.job;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
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
