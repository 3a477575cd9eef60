package dev.kft.inference.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kft.inference.domain.Classifier;
import dev.kft.json.Json;
import dev.kft.text.Text;
import java.io.BufferedReader;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Classifies texts with an exported version directory in this process, with no Kafka and no
 * service: what {@code kft predict --local DIR} runs. Reads one request a line on standard input
 * ({@code {"inputs": ["…", …], "top_k": k}}, {@code top_k} null for every label) and answers each
 * with one line on standard output in the prediction API's shape ({@code {"model": DIR,
 * "predictions": [[{"label": …, "score": …}, …], …]}}) or {@code {"error": "…"}}; stops at the end
 * of its input.
 */
public final class LocalPredictor {

  /** Inputs run through the model at once. */
  private static final int BATCH = 32;

  private LocalPredictor() {}

  public static void main(String[] args) throws IOException {
    System.setProperty("ai.djl.offline", "true");
    PrintStream answers =
        new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
    // what a library prints must never be read as an answer
    System.setOut(System.err);
    if (args.length != 1) {
      answers.println(error("usage: LocalPredictor DIR"));
      System.exit(2);
    }
    Path dir = Path.of(args[0]).toAbsolutePath();
    Classifier classifier;
    try {
      classifier = Classifier.load(dir, BATCH);
    } catch (IOException | RuntimeException e) {
      answers.println(
          error(
              dir
                  + " could not be loaded as an exported version: "
                  + (e.getMessage() == null ? e.toString() : e.getMessage())));
      System.exit(1);
      return;
    }
    try (classifier;
        BufferedReader in =
            new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        answers.println(answer(classifier, dir, line));
      }
    }
  }

  private static String answer(Classifier classifier, Path dir, String line) throws IOException {
    JsonNode request;
    try {
      request = Json.mapper().readTree(line);
    } catch (IOException e) {
      return error("a request line is not JSON: " + e.getMessage());
    }
    List<Text> inputs = new ArrayList<>();
    for (JsonNode input : request.path("inputs")) {
      if (!input.isTextual()) {
        return error("inputs: every input must be a text, got " + input);
      }
      inputs.add(Text.of(input.asText(), null));
    }
    if (inputs.isEmpty()) {
      return error("inputs: required, a non-empty list of texts");
    }
    JsonNode k = request.path("top_k");
    Integer topK = k.isNull() ? null : k.isMissingNode() ? 1 : Integer.valueOf(k.asInt());
    if (topK != null && topK < 1) {
      return error("top_k: must be a whole number >= 1 or null, got " + k);
    }
    ObjectNode out = Json.mapper().createObjectNode();
    out.put("model", dir.toString());
    out.set("predictions", Json.mapper().valueToTree(classifier.predict(inputs, topK)));
    return Json.mapper().writeValueAsString(out);
  }

  private static String error(String message) throws IOException {
    return Json.mapper().writeValueAsString(Json.mapper().createObjectNode().put("error", message));
  }
}
