package dev.kft.registry.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.util.Optional;

/** Settings of the registry service, under {@code kft.registry}. */
@ConfigMapping(prefix = "kft.registry")
public interface RegistryConfig {

  /** The trainer's artifact store; candidates whose checkpoints lie elsewhere are refused. */
  @WithDefault(".kft/artifacts")
  Path artifactRoot();

  /** Where registered versions are exported: {@code <root>/<name>/<version>/} and its zip. */
  @WithDefault(".kft/registry")
  Path modelRoot();

  /**
   * Bearer token that REST writes (aliases, tags, cancel) must carry (env {@code
   * KFT_REGISTRY_API_TOKEN}); without one, writes are refused.
   */
  Optional<String> apiToken();

  /** Whether reads need the token too. */
  @WithDefault("false")
  boolean protectReads();
}
