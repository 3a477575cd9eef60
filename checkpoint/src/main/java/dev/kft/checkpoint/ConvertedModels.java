package dev.kft.checkpoint;

import dev.kft.io.ConfinedPaths;
import dev.kft.io.FileTrees;
import dev.kft.io.Sha256;
import dev.kft.json.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * Google BERT TensorFlow checkpoints converted once into Hugging Face directories, kept in a cache
 * named by content: a checkpoint's directory is keyed by the sha256 of its bundle index (which
 * holds every tensor's CRC32C) and vocabulary, a jar by its own sha256. Each converted directory
 * records where it came from in {@value #ORIGIN}. Conversions by several processes at once end with
 * one directory; a failed one leaves nothing in the cache.
 */
public final class ConvertedModels {

  /** The source prefix of TensorFlow checkpoints: {@code tf-checkpoint:DIR} or a jar. */
  public static final String PREFIX = "tf-checkpoint:";

  /** What a converted directory came from: source, digests. */
  public static final String ORIGIN = "kft_origin.json";

  private final Path cache;
  private final MavenArtifacts maven;

  public ConvertedModels(Path cache, MavenArtifacts maven) {
    this.cache = cache;
    this.maven = maven;
  }

  /**
   * Whether {@code source} names a checkpoint to convert: {@code tf-checkpoint:} or {@code maven:}.
   */
  public static boolean names(String source) {
    return source.startsWith(PREFIX) || MavenArtifacts.names(source);
  }

  /**
   * The Hugging Face directory of {@code source}: {@code tf-checkpoint:PATH} (a path inside {@code
   * roots}) or {@code maven:GROUP:ARTIFACT:VERSION} (a jar resolved with Maven).
   *
   * @throws ModelSourceException when the source cannot be found, read or converted
   */
  public Path resolve(String source, ConfinedPaths roots) throws IOException {
    Path checkpoint =
        MavenArtifacts.names(source)
            ? maven.resolve(source)
            : roots.resolve(source.substring(PREFIX.length()));
    return resolve(source, checkpoint);
  }

  /**
   * The Hugging Face directory converted from {@code checkpoint}, from the cache when it was
   * converted before.
   *
   * @throws ModelSourceException when the checkpoint cannot be read or converted, with the reason
   */
  public Path resolve(String source, Path checkpoint) throws IOException {
    Files.createDirectories(cache);
    Map<String, String> digests = digests(checkpoint);
    Path target = cache.resolve(key(digests));
    if (Files.isDirectory(target)) {
      return target;
    }
    Path build = cache.resolve(".build-" + UUID.randomUUID());
    try {
      convert(source, checkpoint, build, digests);
      Files.move(build, target, StandardCopyOption.ATOMIC_MOVE);
    } catch (FileAlreadyExistsException | DirectoryNotEmptyException e) {
      // another process converted the same checkpoint first
    } finally {
      FileTrees.delete(build);
    }
    return target;
  }

  /**
   * Converts {@code checkpoint} into the Hugging Face directory {@code target} (replacing it): a
   * Google release directory ({@code *.ckpt.index}, {@code vocab.txt}, optionally {@code
   * bert_config.json}), a SavedModel directory ({@code variables/}, {@code assets/vocab.txt}) or a
   * jar holding a SavedModel. {@value #ORIGIN} records {@code source} and the inputs' digests.
   *
   * @throws ModelSourceException when the checkpoint cannot be read or converted, with the reason
   */
  public static GoogleBertImport.Imported convert(String source, Path checkpoint, Path target)
      throws IOException {
    return convert(source, checkpoint, target, digests(checkpoint));
  }

  private static GoogleBertImport.Imported convert(
      String source, Path checkpoint, Path target, Map<String, String> digests) throws IOException {
    if (!Files.isRegularFile(checkpoint)) {
      return convertDirectory(source, checkpoint, target, digests);
    }
    Path extracted = target.resolveSibling(".extract-" + UUID.randomUUID());
    try {
      Path savedModel = SavedModelArchive.extract(checkpoint, extracted);
      return convertDirectory(source, savedModel, target, digests);
    } finally {
      FileTrees.delete(extracted);
    }
  }

  private static GoogleBertImport.Imported convertDirectory(
      String source, Path checkpoint, Path target, Map<String, String> digests) throws IOException {
    Layout layout = layout(checkpoint);
    try {
      GoogleBertImport.Imported imported =
          GoogleBertImport.convert(
              layout.variables(), layout.vocab(), layout.bertConfig(), layout.lowerCase(), target);
      Map<String, String> origin = new LinkedHashMap<>();
      origin.put("source", source);
      origin.putAll(digests);
      Json.mapper()
          .writerWithDefaultPrettyPrinter()
          .writeValue(target.resolve(ORIGIN).toFile(), origin);
      return imported;
    } catch (IOException e) {
      throw new ModelSourceException(source + ": " + e.getMessage());
    }
  }

  /** What identifies a checkpoint's content: a jar's sha256, or its index's and vocabulary's. */
  private static Map<String, String> digests(Path checkpoint) throws IOException {
    Map<String, String> digests = new LinkedHashMap<>();
    if (Files.isRegularFile(checkpoint)) {
      digests.put("jar_sha256", Sha256.file(checkpoint));
    } else {
      Layout layout = layout(checkpoint);
      digests.put("index_sha256", Sha256.file(layout.index()));
      digests.put("vocab_sha256", Sha256.file(layout.vocab()));
    }
    return digests;
  }

  /**
   * The cache key: a jar's own sha256, else the sha256 of the digests written one after another.
   */
  private static String key(Map<String, String> digests) {
    if (digests.size() == 1) {
      return digests.values().iterator().next();
    }
    MessageDigest all = Sha256.newDigest();
    all.update(String.join("", digests.values()).getBytes(StandardCharsets.US_ASCII));
    return Sha256.hex(all);
  }

  /** Where a checkpoint directory keeps its bundle, vocabulary and config. */
  private record Layout(
      Path index, Path variables, Path vocab, Optional<Path> bertConfig, boolean lowerCase) {}

  private static Layout layout(Path dir) throws IOException {
    Path savedModelIndex = dir.resolve("variables/variables.index");
    if (Files.isRegularFile(savedModelIndex)) {
      Path model = dir.resolve("assets/model.json");
      boolean lower =
          Files.isRegularFile(model)
              && Json.mapper().readTree(model.toFile()).path("doLowerCase").asBoolean(false);
      return new Layout(
          savedModelIndex,
          dir.resolve("variables/variables"),
          required(dir.resolve("assets/vocab.txt")),
          Optional.empty(),
          lower);
    }
    List<Path> indexes;
    try (Stream<Path> files = Files.list(dir)) {
      indexes = files.filter(f -> f.getFileName().toString().endsWith(".ckpt.index")).toList();
    }
    if (indexes.size() != 1) {
      throw new ModelSourceException(
          dir
              + " is not a TensorFlow BERT checkpoint: expected variables/variables.index or one"
              + " *.ckpt.index, found "
              + indexes.size());
    }
    Path index = indexes.get(0);
    String name = index.getFileName().toString();
    Path config = dir.resolve("bert_config.json");
    return new Layout(
        index,
        index.resolveSibling(name.substring(0, name.length() - ".index".length())),
        required(dir.resolve("vocab.txt")),
        Files.isRegularFile(config) ? Optional.of(config) : Optional.empty(),
        // Google names its uncased releases uncased_*
        dir.getFileName().toString().startsWith("uncased"));
  }

  private static Path required(Path file) throws ModelSourceException {
    if (!Files.isRegularFile(file)) {
      throw new ModelSourceException("TensorFlow checkpoint lacks " + file);
    }
    return file;
  }
}
