package dev.kft.dataprep.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** Settings of the data-prep service, under {@code kft.data-prep}. */
@ConfigMapping(prefix = "kft.data-prep")
public interface DataPrepConfig {

  /** Directories job data may be read from; relative paths in jobs resolve against the first. */
  @WithDefault("data")
  List<Path> dataRoots();

  /** Directories local model sources (for the tokenizer) may be read from. */
  @WithDefault("models")
  List<Path> modelRoots();

  /** Most kept rows one job may prepare; the cleaned rows are held in memory (~1 KB each). */
  @WithDefault("2000000")
  long maxRows();

  /** Longest row (in characters) a data file may hold. */
  @WithDefault("1048576")
  int maxRowChars();

  /** Largest file fetched over http(s), in bytes. */
  @WithDefault("1073741824")
  long maxHttpBytes();

  /** Timeout of each http(s) request for data. */
  @WithDefault("60s")
  Duration httpTimeout();

  /**
   * Hosts a job may make the service fetch from although they are not on the internet (loopback,
   * private, link-local addresses are refused otherwise): a data server in your network, say.
   */
  Optional<List<String>> allowedHosts();

  /**
   * The API key sent to the LibreTranslate server of {@code back_translation} (env {@code
   * KFT_DATA_PREP_TRANSLATION_API_KEY}), for servers started with {@code --api-keys}; kept here
   * rather than in job specs, which are published on Kafka.
   */
  Optional<String> translationApiKey();

  /**
   * Where {@code tf-checkpoint:} sources are converted to Hugging Face's layout, once per distinct
   * checkpoint; share it with the trainer so that the two convert once between them.
   */
  @WithDefault("${user.home}/.cache/kft/converted")
  Path convertedCache();

  /** Prefix of the transactional id; the host name is appended, so each instance has its own. */
  @WithDefault("kft-data-prep")
  String transactionalIdPrefix();

  /** Longest time one job's preparation may hold its {@code kft.jobs} record. */
  @WithDefault("30m")
  Duration maxPrepareTime();

  /** Where models named {@code hf://} come from. */
  Hub hub();

  /** Hugging Face hub access. */
  interface Hub {
    /** The hub's address. */
    @WithDefault("https://huggingface.co")
    String endpoint();

    /** The hub cache, shared with Hugging Face's own clients. */
    @WithDefault("${user.home}/.cache/huggingface/hub")
    Path cache();

    /** Read only the cache, never the network. */
    @WithDefault("false")
    boolean offline();

    /** Access token for private or gated models (env {@code KFT_DATA_PREP_HUB_TOKEN}). */
    Optional<String> token();
  }
}
