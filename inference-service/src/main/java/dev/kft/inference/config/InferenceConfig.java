package dev.kft.inference.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.util.List;

/** Settings of the inference service ({@code kft.inference.*}). */
@ConfigMapping(prefix = "kft.inference")
public interface InferenceConfig {

  /**
   * Directories registered versions may be loaded from: the registry's export root ({@code
   * kft.registry.model-root}), shared with it.
   */
  @WithDefault("registry")
  List<Path> modelRoots();

  /** Most inputs one prediction request may carry. */
  @WithDefault("256")
  int maxInputs();

  /** Longest input (text and pair together), in characters. */
  @WithDefault("20000")
  int maxInputChars();

  /** Most inputs run through a model at once. */
  @WithDefault("32")
  int batchSize();

  /**
   * Bytes of weights kept loaded across versions; the least recently used version is unloaded to
   * make room (one version larger than this is still loaded, alone).
   */
  @WithDefault("2147483648")
  long cacheBytes();

  /**
   * Prefix of the scoring deployments' transactional ids: {@code <prefix>-<deployment>-<host
   * name>}, the same for an instance after a restart, so that it fences its own earlier self.
   */
  @WithDefault("kft-inference")
  String transactionalIdPrefix();
}
