package dev.kft.io;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Resolves the local paths and {@code file:} URIs a job names, refusing any that lead outside the
 * configured roots: a relative path resolves against the first root that has it, and {@code ..} and
 * symbolic links are followed before the check, so neither can escape.
 */
public final class ConfinedPaths {

  private final List<Path> roots;

  /** Roots are made absolute and resolved (through links) once, here. */
  public ConfinedPaths(List<Path> roots) {
    if (roots.isEmpty()) {
      throw new IllegalArgumentException("at least one root directory is needed");
    }
    this.roots = roots.stream().map(ConfinedPaths::real).toList();
  }

  public List<Path> roots() {
    return roots;
  }

  /**
   * Resolves {@code location} (a path or {@code file:} URI) to a real path inside a root.
   *
   * @throws PathNotAllowedException saying why when it is not inside one, or does not exist
   */
  public Path resolve(String location) {
    Path path = toPath(location);
    Path candidate = path.isAbsolute() ? path : roots.get(0).resolve(path);
    if (!path.isAbsolute()) {
      for (Path root : roots) {
        if (Files.exists(root.resolve(path))) {
          candidate = root.resolve(path);
          break;
        }
      }
    }
    if (!Files.exists(candidate)) {
      throw new PathNotAllowedException(
          "'" + location + "' does not exist (looked for " + candidate.normalize() + ")");
    }
    Path resolved = real(candidate);
    for (Path root : roots) {
      if (resolved.startsWith(root)) {
        return resolved;
      }
    }
    throw new PathNotAllowedException(
        "'" + location + "' resolves to " + resolved + ", outside the allowed roots " + roots);
  }

  private static Path toPath(String location) {
    if (location.startsWith("file:")) {
      try {
        return Path.of(URI.create(location));
      } catch (IllegalArgumentException e) {
        throw new PathNotAllowedException("'" + location + "' is not a valid file: URI");
      }
    }
    if (location.matches("^[A-Za-z][A-Za-z0-9+.-]*://.*")) {
      throw new PathNotAllowedException("'" + location + "' is not a local path or file: URI");
    }
    return Path.of(location);
  }

  private static Path real(Path path) {
    try {
      return path.toAbsolutePath().toRealPath();
    } catch (IOException e) {
      return path.toAbsolutePath().normalize();
    }
  }
}
