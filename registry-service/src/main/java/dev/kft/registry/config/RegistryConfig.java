package dev.kft.registry.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.time.Duration;
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

  /** How long a database that is away is waited for before a record is given up on. */
  Retry retry();

  /** Bounded exponential backoff for transient faults. */
  interface Retry {
    /** The first pause. */
    @WithDefault("500ms")
    Duration first();

    /** The longest pause; pauses double up to it. */
    @WithDefault("30s")
    Duration max();

    /** How long one record is retried before it goes to its dead-letter topic. */
    @WithDefault("10m")
    Duration budget();
  }
}
