package dev.kft.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kft.json.Json;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * An exported version directory classifying texts in a child JVM that runs the inference service's
 * {@code LocalPredictor} (the CLI itself holds no ML engine): requests and answers are JSON lines
 * over the child's standard input and output, in the prediction API's shape.
 */
final class LocalModel implements AutoCloseable {

  private static final String PREDICTOR = "dev.kft.inference.local.LocalPredictor";

  private final Process process;
  private final BufferedWriter requests;
  private final BufferedReader answers;
  private final Path log;

  private LocalModel(Process process, Path log) {
    this.process = process;
    this.log = log;
    this.requests =
        new BufferedWriter(
            new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8));
    this.answers =
        new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
  }

  /**
   * Starts a predictor over {@code dir}.
   *
   * @throws IOException naming what is missing: the directory's files or the built service
   */
  static LocalModel start(Settings settings, Path dir) throws IOException {
    for (String file : List.of("config.json", "model.safetensors", "tokenizer.json")) {
      if (!Files.isRegularFile(dir.resolve(file))) {
        throw new IOException(
            "--local: " + dir + " has no " + file + " (give a downloaded version's directory)");
      }
    }
    Path app = settings.root().resolve("inference-service/target/quarkus-app");
    if (!Files.isDirectory(app.resolve("lib/main"))) {
      throw new IOException(
          "--local: the inference service is not built here; run ./mvnw -B install -DskipTests");
    }
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    String classpath = app.resolve("app") + "/*:" + app.resolve("lib/main") + "/*";
    Path log = Files.createTempFile("kft-predict-local", ".log");
    ProcessBuilder builder =
        new ProcessBuilder(
                java.toString(),
                "-Dai.djl.offline=true",
                "-cp",
                classpath,
                PREDICTOR,
                dir.toAbsolutePath().toString())
            .redirectError(log.toFile());
    builder.environment().put("OPT_OUT_TRACKING", "true");
    builder.environment().put("DJL_OFFLINE", "true");
    return new LocalModel(builder.start(), log);
  }

  /**
   * Classifies one request ({@code inputs}, {@code top_k}).
   *
   * @throws IOException with the predictor's message when it refused the request or ended
   */
  JsonNode predict(Map<String, Object> request) throws IOException {
    String line;
    try {
      requests.write(Json.mapper().writeValueAsString(request));
      requests.newLine();
      requests.flush();
      line = answers.readLine();
    } catch (IOException e) {
      line = null;
    }
    if (line == null) {
      throw new IOException("the local predictor ended:\n" + tail());
    }
    JsonNode answer = Json.mapper().readTree(line);
    if (answer.has("error")) {
      throw new IOException(answer.path("error").asText());
    }
    return answer;
  }

  private String tail() throws IOException {
    List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
    return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
  }

  @Override
  public void close() throws IOException {
    try {
      requests.close();
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    } finally {
      Files.deleteIfExists(log);
    }
  }
}
