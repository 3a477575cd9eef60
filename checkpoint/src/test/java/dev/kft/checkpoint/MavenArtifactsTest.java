package dev.kft.checkpoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Optional;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code maven:} coordinates resolve with Maven's resolver as {@code mvn} would: from the local
 * repository first, through the mirrors of the user's settings, never past a bad checksum, and not
 * at all over the network when offline.
 */
@Tag("unit")
class MavenArtifactsTest {

  private static final String COORDINATES = "maven:dev.kft.test:tiny-model:1.0";
  private static final byte[] JAR = "not really a jar, but bytes to resolve".getBytes();

  @TempDir Path dir;

  @Test
  void offlineResolvesFromTheLocalRepositoryOnly() throws Exception {
    Path local = dir.resolve("local");
    Path file = local.resolve("dev/kft/test/tiny-model/1.0/tiny-model-1.0.jar");
    Files.createDirectories(file.getParent());
    Files.write(file, JAR);
    MavenArtifacts maven = new MavenArtifacts(Optional.of(settings(local, null)), true);
    assertEquals(file.toRealPath(), maven.resolve(COORDINATES).toRealPath());

    ModelSourceException missing =
        assertThrows(
            ModelSourceException.class, () -> maven.resolve("maven:dev.kft.test:absent:1.0"));
    assertTrue(missing.getMessage().contains("maven:dev.kft.test:absent:1.0 did not resolve"));
    assertTrue(missing.getMessage().contains("offline"), missing.getMessage());
  }

  @Test
  void downloadsGoThroughTheSettingsMirrorAndChecksumsAreVerified() throws Exception {
    Path remote = dir.resolve("remote");
    Path published = remote.resolve("dev/kft/test/tiny-model/1.0/tiny-model-1.0.jar");
    Files.createDirectories(published.getParent());
    Files.write(published, JAR);
    Files.writeString(published.resolveSibling("tiny-model-1.0.jar.sha1"), sha1(JAR));

    // Maven Central has no dev.kft.test, so only the mirror can serve the artifact
    Path local = dir.resolve("local-1");
    Path resolved =
        new MavenArtifacts(Optional.of(settings(local, remote)), false).resolve(COORDINATES);
    assertTrue(resolved.startsWith(local), resolved.toString());
    assertArrayEquals(JAR, Files.readAllBytes(resolved));

    Files.writeString(
        published.resolveSibling("tiny-model-1.0.jar.sha1"), sha1("other".getBytes()));
    Path fresh = dir.resolve("local-2");
    ModelSourceException damaged =
        assertThrows(
            ModelSourceException.class,
            () ->
                new MavenArtifacts(Optional.of(settings(fresh, remote)), false)
                    .resolve(COORDINATES));
    assertTrue(damaged.getMessage().toLowerCase().contains("checksum"), damaged.getMessage());
  }

  @Test
  void coordinatesThatAreNotCoordinatesAreNamed() throws Exception {
    MavenArtifacts maven = new MavenArtifacts(Optional.of(settings(dir, null)), true);
    ModelSourceException e =
        assertThrows(ModelSourceException.class, () -> maven.resolve("maven:just-a-name"));
    assertTrue(e.getMessage().contains("is not maven:GROUP:ARTIFACT:VERSION"), e.getMessage());
  }

  private Path settings(Path local, Path mirror) throws Exception {
    String mirrors =
        mirror == null
            ? ""
            : "<mirrors><mirror><id>test-mirror</id><mirrorOf>*</mirrorOf><url>"
                + mirror.toUri()
                + "</url></mirror></mirrors>";
    Path file = Files.createTempFile(dir, "settings", ".xml");
    Files.writeString(
        file,
        "<settings><localRepository>" + local + "</localRepository>" + mirrors + "</settings>");
    return file;
  }

  private static String sha1(byte[] bytes) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(bytes));
  }
}
