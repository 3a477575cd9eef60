package dev.kft.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@Tag("unit")
class ConfinedPathsTest {

  @TempDir Path dir;

  private ConfinedPaths paths() throws Exception {
    Files.createDirectories(dir.resolve("root/data"));
    Files.writeString(dir.resolve("root/data/a.csv"), "x");
    Files.writeString(dir.resolve("secret.txt"), "s");
    return new ConfinedPaths(List.of(dir.resolve("root")));
  }

  @Test
  void relativePathsAndFileUrisInsideTheRootResolve() throws Exception {
    ConfinedPaths paths = paths();
    Path expected = dir.resolve("root/data/a.csv").toRealPath();
    assertEquals(expected, paths.resolve("data/a.csv"));
    assertEquals(expected, paths.resolve(expected.toUri().toString()));
    assertEquals(expected, paths.resolve("data/../data/a.csv"));
  }

  @Test
  void escapesAreRefusedWithTheReason() throws Exception {
    ConfinedPaths paths = paths();
    PathNotAllowedException dots =
        assertThrows(PathNotAllowedException.class, () -> paths.resolve("../secret.txt"));
    assertTrue(dots.getMessage().contains("outside the allowed roots"), dots.getMessage());
    assertThrows(
        PathNotAllowedException.class, () -> paths.resolve(dir.resolve("secret.txt").toString()));
    Files.createSymbolicLink(dir.resolve("root/link.txt"), dir.resolve("secret.txt"));
    assertThrows(PathNotAllowedException.class, () -> paths.resolve("link.txt"));
    PathNotAllowedException scheme =
        assertThrows(PathNotAllowedException.class, () -> paths.resolve("s3://bucket/a.csv"));
    assertEquals("'s3://bucket/a.csv' is not a local path or file: URI", scheme.getMessage());
    PathNotAllowedException missing =
        assertThrows(PathNotAllowedException.class, () -> paths.resolve("data/b.csv"));
    assertTrue(missing.getMessage().startsWith("'data/b.csv' does not exist"));
  }
}
