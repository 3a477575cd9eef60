package dev.kft.checkpoint;

import io.quarkus.bootstrap.resolver.maven.BootstrapMavenContext;
import io.quarkus.bootstrap.resolver.maven.BootstrapMavenContextConfig;
import io.quarkus.bootstrap.resolver.maven.BootstrapMavenException;
import io.quarkus.bootstrap.resolver.maven.MavenArtifactResolver;
import java.nio.file.Path;
import java.util.Optional;
import org.eclipse.aether.DefaultRepositorySystemSession;
import org.eclipse.aether.artifact.DefaultArtifact;
import org.eclipse.aether.repository.RepositoryPolicy;
import org.eclipse.aether.resolution.ArtifactRequest;
import org.eclipse.aether.resolution.ArtifactResolutionException;

/**
 * Resolves {@code maven:GROUP:ARTIFACT[:EXTENSION[:CLASSIFIER]]:VERSION} coordinates to a file in
 * the local Maven repository with Maven's own resolver: the local repository first, then the
 * repositories, mirrors, proxies and credentials of the user's {@code settings.xml} (and the global
 * one), its offline setting honoured. A download whose checksum does not match fails.
 */
public final class MavenArtifacts {

  /** The source prefix of artifacts on Maven repositories. */
  public static final String PREFIX = "maven:";

  private final Optional<Path> userSettings;
  private final boolean offline;

  /**
   * @param userSettings a {@code settings.xml} to use instead of {@code ~/.m2/settings.xml}
   * @param offline never download, as {@code mvn -o}
   */
  public MavenArtifacts(Optional<Path> userSettings, boolean offline) {
    this.userSettings = userSettings;
    this.offline = offline;
  }

  public static boolean names(String source) {
    return source.startsWith(PREFIX);
  }

  /**
   * The file of the artifact {@code source} names.
   *
   * @throws ModelSourceException naming the coordinates and why they did not resolve
   */
  public Path resolve(String source) {
    String coordinates = source.substring(PREFIX.length());
    DefaultArtifact artifact;
    try {
      artifact = new DefaultArtifact(coordinates);
    } catch (IllegalArgumentException e) {
      throw new ModelSourceException(
          "model.source: '" + source + "' is not maven:GROUP:ARTIFACT:VERSION");
    }
    try {
      // offline comes from kft and settings.xml only, not from a Maven command line around us
      boolean noNetwork = offline || settingsSayOffline();
      MavenArtifactResolver.Builder builder =
          MavenArtifactResolver.builder().setWorkspaceDiscovery(false).setOffline(noNetwork);
      userSettings.ifPresent(file -> builder.setUserSettings(file.toFile()));
      MavenArtifactResolver resolver = builder.build();
      DefaultRepositorySystemSession session =
          new DefaultRepositorySystemSession(resolver.getSession());
      session.setChecksumPolicy(RepositoryPolicy.CHECKSUM_POLICY_FAIL);
      return resolver
          .getSystem()
          .resolveArtifact(session, new ArtifactRequest(artifact, resolver.getRepositories(), null))
          .getArtifact()
          .getFile()
          .toPath();
    } catch (ArtifactResolutionException e) {
      throw new ModelSourceException(
          source
              + " did not resolve"
              + (offline || isOffline(e) ? " (offline: only the local repository was read)" : "")
              + ": "
              + e.getMessage());
    } catch (BootstrapMavenException e) {
      throw new ModelSourceException(source + ": Maven settings: " + e.getMessage());
    }
  }

  private boolean settingsSayOffline() throws BootstrapMavenException {
    BootstrapMavenContextConfig<?> config =
        BootstrapMavenContext.config().setWorkspaceDiscovery(false);
    userSettings.ifPresent(file -> config.setUserSettings(file.toFile()));
    return new BootstrapMavenContext(config).getEffectiveSettings().isOffline();
  }

  private static boolean isOffline(ArtifactResolutionException e) {
    return String.valueOf(e.getMessage()).contains("offline");
  }
}
