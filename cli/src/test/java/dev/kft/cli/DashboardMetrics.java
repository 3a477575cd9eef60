package dev.kft.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kft.json.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** The metric names the provisioned Grafana dashboards' PromQL expressions refer to. */
final class DashboardMetrics {

  static final Path DASHBOARDS = Path.of("..", "k8s", "base", "dashboards");

  private static final Pattern IDENTIFIER = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
  private static final Set<String> KEYWORDS =
      Set.of(
          "by",
          "without",
          "on",
          "ignoring",
          "group_left",
          "group_right",
          "and",
          "or",
          "unless",
          "offset",
          "bool");

  private DashboardMetrics() {}

  /** Every metric name used by every panel of every dashboard. */
  static Set<String> names() throws IOException {
    Set<String> names = new TreeSet<>();
    try (Stream<Path> files = Files.list(DASHBOARDS)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".json")).toList()) {
        for (JsonNode panel : Json.mapper().readTree(file.toFile()).path("panels")) {
          for (JsonNode target : panel.path("targets")) {
            names.addAll(names(target.path("expr").asText()));
          }
        }
      }
    }
    return names;
  }

  /**
   * The metric names of one PromQL expression: identifiers that are not functions (followed by a
   * parenthesis), keywords, label names inside braces or grouping clauses, or durations.
   */
  static Set<String> names(String expr) {
    String bare =
        expr.replaceAll("\"[^\"]*\"", "")
            .replaceAll("\\{[^}]*}", "")
            .replaceAll("\\[[^]]*]", "")
            .replaceAll("\\b(by|without|on|ignoring)\\s*\\([^)]*\\)", "");
    Set<String> names = new TreeSet<>();
    Matcher m = IDENTIFIER.matcher(bare);
    while (m.find()) {
      String rest = bare.substring(m.end()).stripLeading();
      if (!rest.startsWith("(") && !KEYWORDS.contains(m.group())) {
        names.add(m.group());
      }
    }
    return names;
  }
}
