package dev.kft.job;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.kft.json.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

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
      JsonNode tree = Json.yaml().readTree(text);
      return tree == null ? Json.mapper().missingNode() : tree;
    } catch (JsonProcessingException e) {
      throw new SpecSyntaxException(e.getOriginalMessage(), e.getLocation());
    }
  }

  /** Reads and parses a spec file. */
  public static JsonNode read(Path file) throws IOException {
    return parse(Files.readString(file));
  }

  /** Validates a tree and, when it has no problems, binds it with every default filled in. */
  public static ValidatedSpec validate(JsonNode tree) {
    List<Problem> problems = JobSpecValidator.validate(tree);
    if (!problems.isEmpty()) {
      return new ValidatedSpec(null, problems);
    }
    try {
      return new ValidatedSpec(Json.mapper().treeToValue(tree, JobSpec.class), List.of());
    } catch (JsonProcessingException e) {
      return new ValidatedSpec(null, List.of(new Problem("", e.getOriginalMessage())));
    }
  }
}
