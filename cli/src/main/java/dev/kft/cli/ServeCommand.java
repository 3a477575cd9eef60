package dev.kft.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code kft serve NAME@ALIAS --from TOPIC --to TOPIC}: declares a scoring deployment in the
 * registry, which the inference service runs (exactly once, following the alias); {@code --list}
 * and {@code --remove NAME} show and remove deployments.
 */
@Command(
    name = "serve",
    description =
        "Score a Kafka topic with a registered model, following its alias: every record of --from"
            + " gets its label on --to, exactly once.")
final class ServeCommand implements Callable<Integer> {

  @Parameters(
      index = "0",
      arity = "0..1",
      paramLabel = "MODEL",
      description = "NAME@ALIAS (follows the alias), NAME:VERSION or NAME (the newest version)")
  String model;

  @Option(names = "--from", description = "the topic to score")
  String from;

  @Option(names = "--to", description = "the topic the predictions go to")
  String to;

  @Option(
      names = "--text-field",
      defaultValue = "text",
      description = "the field of a JSON input record holding the text (default: ${DEFAULT-VALUE})")
  String textField;

  @Option(names = "--name", description = "the deployment's name (default: FROM-to-TO)")
  String name;

  @Option(names = "--list", description = "list the scoring deployments")
  boolean list;

  @Option(names = "--remove", paramLabel = "NAME", description = "remove a scoring deployment")
  String remove;

  @Mixin Listing listing;

  @Override
  public Integer call() throws Exception {
    ApiClient registry = ApiClient.registry(Settings.load());
    if (list) {
      JsonNode deployments = registry.get("/api/scoring");
      if (listing.printedAsJson(deployments)) {
        return 0;
      }
      for (JsonNode d : deployments) {
        System.out.printf(
            "%-28s %s -> %s with %s (field %s)%n",
            d.path("name").asText(),
            d.path("fromTopic").asText(),
            d.path("toTopic").asText(),
            d.path("model").asText(),
            d.path("textField").asText());
      }
      return 0;
    }
    if (remove != null) {
      registry.delete("/api/scoring/" + remove);
      System.out.println("removed " + remove);
      return 0;
    }
    if (model == null || from == null || to == null) {
      System.err.println("kft serve: give MODEL, --from and --to (or --list, --remove NAME)");
      return 2;
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("name", name != null ? name : from + "-to-" + to);
    body.put("model", model);
    body.put("from", from);
    body.put("to", to);
    body.put("textField", textField);
    JsonNode d = registry.post("/api/scoring", body);
    System.out.printf(
        "scoring %s: %s -> %s with %s%n",
        d.path("name").asText(), from, to, d.path("model").asText());
    return 0;
  }
}
