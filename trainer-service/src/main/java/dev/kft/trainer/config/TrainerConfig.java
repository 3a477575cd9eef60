package dev.kft.trainer.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** Settings of the trainer service, under {@code kft.trainer}. */
@ConfigMapping(prefix = "kft.trainer")
public interface TrainerConfig {

  /** Where checkpoints are written: {@code <root>/<jobId>/checkpoint-<step>/}. */
  @WithDefault(".kft/artifacts")
  Path artifactRoot();

  /** Directories local model sources may be read from. */
  @WithDefault("models")
  List<Path> modelRoots();

  /** Longest wait for a job's batches to be read back from {@code kft.batches}. */
  @WithDefault("120s")
  Duration batchReadTimeout();

  /**
   * Where jobs train: {@code auto} (a GPU when DJL's PyTorch engine sees one, else the CPU), {@code
   * cpu}, or {@code gpu} (a job fails with a clear reason when there is none).
   */
  @WithDefault("auto")
  String device();

  /**
   * PyTorch intra-op threads (sets {@code ai.djl.pytorch.num_threads} before the engine loads); by
   * default PyTorch's own choice, one per core.
   */
  Optional<Integer> threads();

  /**
   * Where {@code tf-checkpoint:} sources are converted to Hugging Face's layout, once per distinct
   * checkpoint; share it with data-prep so that the two convert once between them.
   */
  @WithDefault("${user.home}/.cache/kft/converted")
  Path convertedCache();

  /** Prefix of the transactional id; the host name is appended, so each instance has its own. */
  @WithDefault("kft-trainer")
  String transactionalIdPrefix();

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

    /** Access token for private or gated models. */
    Optional<String> token();
  }
}
