package dev.kft.evaluator.config;

import dev.kft.checkpoint.HubClient;
import dev.kft.checkpoint.ModelSource;
import dev.kft.io.ConfinedPaths;
import dev.kft.model.ModelLoader;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import java.net.URI;
import java.util.List;
import java.util.Optional;

/** Builds the checkpoint loader from the evaluator's configuration. */
public class DomainBeans {

  /** Reads checkpoints from the artifact store only; the hub is never asked (offline). */
  @Produces
  @ApplicationScoped
  ModelLoader modelLoader(EvaluatorConfig config) {
    return new ModelLoader(
        new ModelSource(
            new ConfinedPaths(List.of(config.artifactRoot())),
            new HubClient(
                URI.create("https://huggingface.co"),
                config.artifactRoot().resolve(".hub-cache"),
                true,
                Optional.empty())));
  }

  @Produces
  @ApplicationScoped
  ConfinedPaths artifacts(EvaluatorConfig config) {
    return new ConfinedPaths(List.of(config.artifactRoot()));
  }
}
