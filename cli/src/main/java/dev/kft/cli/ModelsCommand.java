package dev.kft.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kft.checkpoint.ConvertedModels;
import dev.kft.checkpoint.GoogleBertImport;
import dev.kft.checkpoint.MavenArtifacts;
import dev.kft.checkpoint.ModelSourceException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code kft models} (with {@code kft models import}) and the model commands: {@code model}, {@code
 * alias}, {@code download}.
 */
@Command(
    name = "models",
    description = "List registered models.",
    subcommands = ModelsCommand.Import.class)
final class ModelsCommand implements Callable<Integer> {

  @Mixin Listing listing;

  @Override
  public Integer call() throws Exception {
    JsonNode models = ApiClient.registry(Settings.load()).get("/api/models");
    if (listing.printedAsJson(models)) {
      return 0;
    }
    System.out.printf(Locale.ROOT, "%-32s  %-7s  %s%n", "MODEL", "LATEST", "ALIASES");
    for (JsonNode m : models) {
      System.out.printf(
          Locale.ROOT,
          "%-32s  %-7s  %s%n",
          m.path("name").asText(),
          m.path("latestVersion").asText("-"),
          m.path("aliases").toString());
    }
    return 0;
  }

  /** {@code kft model NAME [--errors]}. */
  @Command(
      name = "model",
      description =
          "Show a model's versions with their key metrics, or (--errors) a version's most"
              + " confident mistakes on the test split.")
  static final class Model implements Callable<Integer> {
    @Parameters(paramLabel = "NAME", description = "NAME, or NAME:VERSION with --errors")
    String name;

    @Option(
        names = "--errors",
        description = "the test rows the version got wrong, most confident first")
    boolean errors;

    @Option(names = "--limit", defaultValue = "10", description = "rows with --errors (10)")
    int limit;

    @Mixin Listing listing;

    @Override
    public Integer call() throws Exception {
      ApiClient registry = ApiClient.registry(Settings.load());
      if (errors) {
        return mistakes(registry);
      }
      JsonNode model = registry.get("/api/models/" + name);
      JsonNode versions = registry.get("/api/models/" + name + "/versions");
      if (listing.printedAsJson(versions)) {
        return 0;
      }
      System.out.println(
          name
              + (model.hasNonNull("description") ? ": " + model.path("description").asText() : ""));
      for (JsonNode v : versions) {
        System.out.printf(
            Locale.ROOT,
            "  v%-3d %-20s %s  test: %s  aliases %s%n",
            v.path("version").asInt(),
            v.path("status").asText(),
            v.path("createdAt").asText(),
            Render.headline(metrics(v.path("testMetrics")), "test_"),
            v.path("aliases").toString());
      }
      return 0;
    }

    /** The chosen (else newest) version's most confident mistakes on the test split. */
    private int mistakes(ApiClient registry) throws Exception {
      int colon = name.lastIndexOf(':');
      String model = colon < 0 ? name : name.substring(0, colon);
      String version =
          colon < 0
              ? registry.get("/api/models/" + model).path("latestVersion").asText()
              : name.substring(colon + 1);
      JsonNode rows =
          registry.get(
              "/api/models/"
                  + model
                  + "/versions/"
                  + version
                  + "/predictions?errors=true&limit="
                  + limit);
      if (listing.printedAsJson(rows)) {
        return 0;
      }
      System.out.println(model + " v" + version + ": " + rows.size() + " most confident mistakes");
      for (JsonNode r : rows) {
        String predicted = r.path("predicted").asText();
        String text = r.path("text").asText();
        System.out.printf(
            Locale.ROOT,
            "  row %-6d %s -> %s (%.3f)  %s%n",
            r.path("row").asInt(),
            r.path("label").asText(),
            predicted,
            r.path("probabilities").path(predicted).asDouble(),
            text.length() > 60 ? text.substring(0, 59) + "…" : text);
      }
      return 0;
    }

    private static Map<String, Double> metrics(JsonNode node) {
      Map<String, Double> m = new java.util.LinkedHashMap<>();
      node.fields().forEachRemaining(e -> m.put(e.getKey(), e.getValue().asDouble()));
      return m;
    }
  }

  /** {@code kft alias NAME VERSION ALIAS}. */
  @Command(name = "alias", description = "Point an alias (e.g. champion) at a version.")
  static final class Alias implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "NAME")
    String name;

    @Parameters(index = "1", paramLabel = "VERSION")
    int version;

    @Parameters(index = "2", paramLabel = "ALIAS")
    String alias;

    @Override
    public Integer call() throws Exception {
      ApiClient.registry(Settings.load())
          .put("/api/models/" + name + "/aliases/" + alias, Map.of("version", version));
      System.out.println(name + "@" + alias + " -> v" + version);
      return 0;
    }
  }

  /** {@code kft download NAME[@alias|:version] DIR}. */
  @Command(name = "download", description = "Download a version (NAME, NAME@alias or NAME:3).")
  static final class Download implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "MODEL")
    String model;

    @Parameters(index = "1", paramLabel = "DIR")
    Path dir;

    @Override
    public Integer call() throws Exception {
      ApiClient registry = ApiClient.registry(Settings.load());
      JsonNode version = registry.get(versionPath(registry, model));
      String name = version.path("name").asText();
      int number = version.path("version").asInt();
      Path zip = Files.createTempFile("kft-download-", ".zip");
      try {
        String sha =
            registry.download("/api/models/" + name + "/versions/" + number + "/archive", zip);
        unzip(zip, dir);
        System.out.println(name + " v" + number + " -> " + dir + " (archive sha256 " + sha + ")");
      } finally {
        Files.deleteIfExists(zip);
      }
      return 0;
    }

    static String versionPath(ApiClient registry, String spec)
        throws IOException, InterruptedException {
      int at = spec.indexOf('@');
      int colon = spec.indexOf(':');
      if (at > 0) {
        return "/api/models/" + spec.substring(0, at) + "/aliases/" + spec.substring(at + 1);
      }
      if (colon > 0) {
        return "/api/models/" + spec.substring(0, colon) + "/versions/" + spec.substring(colon + 1);
      }
      JsonNode model = registry.get("/api/models/" + spec);
      return "/api/models/" + spec + "/versions/" + model.path("latestVersion").asInt();
    }

    private static void unzip(Path zip, Path dir) throws IOException {
      Files.createDirectories(dir);
      Path root = dir.toAbsolutePath().normalize();
      try (InputStream in = Files.newInputStream(zip);
          ZipInputStream entries = new ZipInputStream(in)) {
        for (ZipEntry e = entries.getNextEntry(); e != null; e = entries.getNextEntry()) {
          Path to = root.resolve(e.getName()).normalize();
          if (!to.startsWith(root)) {
            throw new IOException("archive entry outside the target: " + e.getName());
          }
          Files.createDirectories(to.getParent());
          Files.copy(entries, to, StandardCopyOption.REPLACE_EXISTING);
        }
      }
    }
  }

  /** {@code kft models import SOURCE DIR}: a pretrained checkpoint as a Hugging Face directory. */
  @Command(
      name = "import",
      description =
          "Convert a Google BERT TensorFlow checkpoint (tf-checkpoint:PATH: a release directory,"
              + " a SavedModel directory or a jar holding one; or maven:GROUP:ARTIFACT:VERSION, a"
              + " jar resolved through your Maven settings) into a Hugging Face directory.")
  static final class Import implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "SOURCE")
    String source;

    @Parameters(index = "1", paramLabel = "DIR")
    Path target;

    @Override
    public Integer call() throws Exception {
      if (!ConvertedModels.names(source)) {
        System.err.println(
            "SOURCE must be tf-checkpoint:PATH or maven:GROUP:ARTIFACT:VERSION, got '"
                + source
                + "'");
        return 2;
      }
      try {
        Path checkpoint =
            MavenArtifacts.names(source)
                ? new MavenArtifacts(Optional.empty(), false).resolve(source)
                : Path.of(source.substring(ConvertedModels.PREFIX.length()));
        if (!Files.exists(checkpoint)) {
          System.err.println("no such file or directory: " + checkpoint);
          return 2;
        }
        GoogleBertImport.Imported imported = ConvertedModels.convert(source, checkpoint, target);
        System.out.printf(
            Locale.ROOT,
            "%s: %d tensors, %,d parameters%s%n",
            imported.directory(),
            imported.tensors().size(),
            imported.parameters(),
            imported.skipped().isEmpty() ? "" : "; left out " + imported.skipped());
        return 0;
      } catch (ModelSourceException e) {
        System.err.println(e.getMessage());
        return 1;
      }
    }
  }
}
