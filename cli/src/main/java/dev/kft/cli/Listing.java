package dev.kft.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kft.json.Json;
import java.io.IOException;
import picocli.CommandLine.Option;

/**
 * The {@code -o json} option of the listing commands: the registry's answer as JSON, for scripts
 * and {@code jq}, instead of the table a person reads.
 */
final class Listing {

  /** How a listing is printed. */
  enum Format {
    TABLE,
    JSON
  }

  @Option(
      names = {"-o", "--format"},
      defaultValue = "table",
      description = "table (default) or json")
  Format format;

  /** Prints {@code answer} as indented JSON when JSON was asked for; returns whether it did. */
  boolean printedAsJson(JsonNode answer) throws IOException {
    if (format != Format.JSON) {
      return false;
    }
    System.out.println(Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(answer));
    return true;
  }
}
