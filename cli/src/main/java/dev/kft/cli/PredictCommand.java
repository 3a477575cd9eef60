package dev.kft.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kft.json.Json;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code kft predict NAME[@alias|:version] TEXT…} or {@code --file}: classifies texts with a
 * registered version through the stack's inference service, in batches; with {@code --local DIR},
 * with a downloaded version's directory and no service.
 */
@Command(
    name = "predict",
    description =
        "Classify texts with a registered version: the texts given, or a file's (.csv, .jsonl, .txt"
            + " one text a line).")
final class PredictCommand implements Callable<Integer> {

  /** Inputs per request to the inference service. */
  static final int BATCH = 64;

  @Parameters(
      index = "0",
      arity = "0..1",
      paramLabel = "MODEL",
      description = "NAME, NAME@ALIAS or NAME:VERSION (none with --local)")
  String model;

  @Parameters(index = "1..*", paramLabel = "TEXT", description = "texts to classify")
  List<String> texts = new ArrayList<>();

  @Option(names = "--file", description = "read the texts from FILE (.csv, .jsonl or .txt)")
  Path file;

  @Option(
      names = "--text-column",
      defaultValue = "text",
      description =
          "the column (.csv) or field (.jsonl) holding the text (default: ${DEFAULT-VALUE})")
  String textColumn;

  @Option(
      names = "--output",
      description = "write one JSON line per text to OUT (.jsonl) instead of a table")
  Path output;

  @Option(names = "--top-k", defaultValue = "1", description = "labels per text (default: 1)")
  int topK;

  @Option(
      names = "--local",
      paramLabel = "DIR",
      description =
          "classify with the version downloaded to DIR (kft download) in a process of its own"
              + " on this machine: no stack needed")
  Path local;

  /** Where a batch of texts goes: the inference service, or a local model. */
  private interface Classifier {
    JsonNode classify(Map<String, Object> request) throws IOException, InterruptedException;
  }

  @Override
  public Integer call() throws Exception {
    List<String> inputs = new ArrayList<>();
    if (local != null && model != null) {
      inputs.add(model);
    }
    inputs.addAll(texts);
    if (file != null) {
      inputs.addAll(TextFiles.read(file, textColumn));
    }
    if (local == null && model == null) {
      System.err.println(
          "kft predict: give MODEL (NAME, NAME@ALIAS or NAME:VERSION), or --local DIR");
      return 2;
    }
    if (inputs.isEmpty()) {
      System.err.println("kft predict: give texts, or --file FILE");
      return 2;
    }
    if (topK < 1) {
      System.err.println("kft predict: --top-k must be >= 1, got " + topK);
      return 2;
    }
    if (local != null) {
      try (LocalModel loaded = LocalModel.start(Settings.load(), local)) {
        classifyAll(inputs, loaded::predict);
      }
    } else {
      ApiClient inference = ApiClient.inference(Settings.load());
      String path = "/api/predict/" + URLEncoder.encode(model, StandardCharsets.UTF_8);
      classifyAll(inputs, request -> inference.post(path, request));
    }
    return 0;
  }

  private void classifyAll(List<String> inputs, Classifier classifier)
      throws IOException, InterruptedException {
    boolean progress = System.console() != null && inputs.size() > BATCH;
    try (BufferedWriter out = output == null ? null : Files.newBufferedWriter(output)) {
      for (int start = 0; start < inputs.size(); start += BATCH) {
        List<String> batch = inputs.subList(start, Math.min(inputs.size(), start + BATCH));
        Map<String, Object> body = new HashMap<>();
        body.put("inputs", batch);
        body.put("top_k", topK);
        JsonNode answer = classifier.classify(body);
        for (int i = 0; i < batch.size(); i++) {
          JsonNode scores = answer.path("predictions").get(i);
          if (out == null) {
            printRow(System.out, batch.get(i), scores);
          } else {
            out.write(line(answer, batch.get(i), scores));
            out.newLine();
          }
        }
        if (progress) {
          System.err.printf("\rscored %d/%d", start + batch.size(), inputs.size());
        }
      }
    }
    if (progress) {
      System.err.println();
    }
  }

  private static void printRow(PrintStream out, String text, JsonNode scores) {
    StringBuilder row = new StringBuilder();
    for (JsonNode s : scores) {
      row.append(String.format("%s %.4f  ", s.path("label").asText(), s.path("score").asDouble()));
    }
    out.println(row + (text.length() > 60 ? text.substring(0, 59) + "…" : text));
  }

  private static String line(JsonNode answer, String text, JsonNode scores) throws IOException {
    ObjectNode line = Json.mapper().createObjectNode();
    line.put("text", text);
    line.set("predictions", scores);
    line.put("model", answer.path("model").asText());
    if (answer.has("version")) {
      line.put("version", answer.path("version").asInt());
    }
    return Json.mapper().writeValueAsString(line);
  }

  /** Reads texts from .csv (a column), .jsonl (a field) or any other file (one text a line). */
  static final class TextFiles {

    private TextFiles() {}

    static List<String> read(Path file, String column) throws IOException {
      String name = file.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
      List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
      List<String> texts = new ArrayList<>();
      if (name.endsWith(".jsonl")) {
        for (int i = 0; i < lines.size(); i++) {
          if (!lines.get(i).isBlank()) {
            JsonNode row = Json.mapper().readTree(lines.get(i));
            if (!row.path(column).isTextual()) {
              throw new IOException(file + " line " + (i + 1) + ": no text field '" + column + "'");
            }
            texts.add(row.path(column).asText());
          }
        }
      } else if (name.endsWith(".csv")) {
        List<List<String>> rows = Csv.parse(String.join("\n", lines));
        int at = rows.isEmpty() ? -1 : rows.get(0).indexOf(column);
        if (at < 0) {
          throw new IOException(
              file
                  + " has no column '"
                  + column
                  + "'"
                  + (rows.isEmpty() ? "" : "; its columns are " + rows.get(0)));
        }
        for (List<String> row : rows.subList(1, rows.size())) {
          if (row.size() > at) {
            texts.add(row.get(at));
          }
        }
      } else {
        lines.stream().filter(l -> !l.isBlank()).forEach(texts::add);
      }
      return texts;
    }
  }

  /** The quoted-field CSV of RFC 4180: commas, double quotes, line breaks inside quotes. */
  static final class Csv {

    private Csv() {}

    static List<List<String>> parse(String text) {
      List<List<String>> rows = new ArrayList<>();
      List<String> row = new ArrayList<>();
      StringBuilder field = new StringBuilder();
      boolean quoted = false;
      for (int i = 0; i < text.length(); i++) {
        char c = text.charAt(i);
        if (quoted) {
          if (c == '"' && i + 1 < text.length() && text.charAt(i + 1) == '"') {
            field.append('"');
            i++;
          } else if (c == '"') {
            quoted = false;
          } else {
            field.append(c);
          }
        } else if (c == '"') {
          quoted = true;
        } else if (c == ',') {
          row.add(field.toString());
          field.setLength(0);
        } else if (c == '\n') {
          row.add(field.toString());
          field.setLength(0);
          rows.add(row);
          row = new ArrayList<>();
        } else if (c != '\r') {
          field.append(c);
        }
      }
      if (field.length() > 0 || !row.isEmpty()) {
        row.add(field.toString());
        rows.add(row);
      }
      return rows;
    }
  }
}
