package dev.kft.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import dev.kft.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The published JSON Schema and the Java validator agree: both accept every example job, and both
 * reject every spec of the bad-spec corpus at the expected paths.
 */
@Tag("unit")
class SchemaAgreementTest {

  private static final Path EXAMPLES = Path.of("..", "examples");
  private static final Path SCHEMA = Path.of("..", "docs", "job-spec.schema.json");

  private final JsonSchema schema = loadSchema();

  @TestFactory
  Stream<DynamicTest> everyExampleIsValidForBoth() throws IOException {
    List<Path> files;
    try (Stream<Path> list = Files.list(EXAMPLES)) {
      files = list.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
    }
    assertTrue(files.size() >= 5, "expected the case study and one job per method in examples/");
    return files.stream()
        .map(
            file ->
                DynamicTest.dynamicTest(
                    file.getFileName().toString(),
                    () -> {
                      JsonNode spec = JobSpecs.read(file);
                      ValidatedSpec result = JobSpecs.validate(spec);
                      assertTrue(result.valid(), result.describeProblems());
                      assertEquals(Set.of(), schemaPaths(spec), "schema errors");
                    }));
  }

  @Test
  void corpusIsLargeEnough() throws IOException {
    assertTrue(corpus().get("cases").size() >= 30);
  }

  @TestFactory
  Stream<DynamicTest> everyBadSpecIsRejectedByBothAtTheExpectedPaths() throws IOException {
    JsonNode corpus = corpus();
    List<DynamicTest> tests = new ArrayList<>();
    for (JsonNode c : corpus.get("cases")) {
      tests.add(
          DynamicTest.dynamicTest(
              c.get("case").asText(),
              () -> {
                JsonNode spec = mergePatch(corpus.get("base").deepCopy(), c.get("patch"));
                Set<String> expected = new TreeSet<>();
                c.get("expect").forEach(e -> expected.add(e.asText()));

                ValidatedSpec result = JobSpecs.validate(spec);
                Set<String> javaPaths =
                    result.problems().stream()
                        .map(Problem::path)
                        .collect(Collectors.toCollection(TreeSet::new));
                assertEquals(expected, javaPaths, "validator: " + result.describeProblems());

                Set<String> schemaPaths = schemaPaths(spec);
                for (String e : expected) {
                  assertTrue(
                      schemaPaths.stream().anyMatch(p -> p.equals(e) || isAncestor(p, e)),
                      "schema reports nothing at " + e + ": " + schemaPaths);
                }
                for (String p : schemaPaths) {
                  assertTrue(
                      expected.stream().anyMatch(e -> related(p, parent(e))),
                      "schema reports " + p + " outside " + expected);
                }
              }));
    }
    return tests.stream();
  }

  @Test
  void baseOfTheCorpusIsValid() throws IOException {
    JsonNode base = corpus().get("base");
    assertTrue(JobSpecs.validate(base).valid());
    assertEquals(Set.of(), schemaPaths(base));
  }

  private Set<String> schemaPaths(JsonNode spec) {
    Set<String> paths = new TreeSet<>();
    for (ValidationMessage m : schema.validate(spec)) {
      String path = m.getInstanceLocation().toString().replaceFirst("^\\$\\.?", "");
      if (("required".equals(m.getType()) || "additionalProperties".equals(m.getType()))
          && m.getProperty() != null) {
        path = path.isEmpty() ? m.getProperty() : path + "." + m.getProperty();
      }
      paths.add(path);
    }
    return paths;
  }

  private static boolean isAncestor(String ancestor, String path) {
    return ancestor.isEmpty() || path.startsWith(ancestor + ".") || path.startsWith(ancestor + "[");
  }

  private static boolean related(String a, String b) {
    return a.equals(b) || isAncestor(a, b) || isAncestor(b, a);
  }

  private static String parent(String path) {
    int cut = Math.max(path.lastIndexOf('.'), path.lastIndexOf('['));
    return cut < 0 ? "" : path.substring(0, cut);
  }

  /** RFC 7386 JSON merge patch. */
  private static JsonNode mergePatch(JsonNode target, JsonNode patch) {
    if (!patch.isObject()) {
      return patch;
    }
    ObjectNode result = target.isObject() ? (ObjectNode) target : Json.mapper().createObjectNode();
    for (Iterator<Map.Entry<String, JsonNode>> it = patch.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> field = it.next();
      if (field.getValue().isNull()) {
        result.remove(field.getKey());
      } else {
        JsonNode current = result.get(field.getKey());
        result.set(
            field.getKey(),
            mergePatch(current == null ? Json.mapper().missingNode() : current, field.getValue()));
      }
    }
    return result;
  }

  private static JsonNode corpus() throws IOException {
    try (InputStream in = SchemaAgreementTest.class.getResourceAsStream("/bad-specs.yaml")) {
      return Json.yaml().readTree(in);
    }
  }

  private static JsonSchema loadSchema() {
    try {
      return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012)
          .getSchema(Json.mapper().readTree(SCHEMA.toFile()));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
