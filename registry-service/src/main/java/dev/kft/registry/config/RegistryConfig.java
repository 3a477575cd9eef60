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
   * The write token: REST writes (aliases, tags, scoring deployments, cancel) must carry it, and it
   * may read too (env {@code KFT_REGISTRY_API_TOKEN}); without one, writes are refused. Outside dev
   * and test mode the registry does not start with a weak one (under 32 random bytes, or a known
   * default).
   */
  Optional<String> apiToken();

  /** Who the audit trail names for changes made with the write token. */
  @WithDefault("operator")
  String apiTokenUser();

  /**
   * A token that may only read (env {@code KFT_REGISTRY_READ_TOKEN}): for dashboards, notebooks and
   * whoever needs lineage without changing anything. Held to the same strength as the write token.
   */
  Optional<String> readToken();

  /**
   * Whether reads need a token (either); job specs, lineage and archives are not for anyone who can
   * reach the port.
   */
  @WithDefault("true")
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
