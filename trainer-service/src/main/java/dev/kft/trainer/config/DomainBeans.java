package dev.kft.trainer.config;

import dev.kft.checkpoint.ConvertedModels;
import dev.kft.checkpoint.HubClient;
import dev.kft.checkpoint.MavenArtifacts;
import dev.kft.checkpoint.ModelSource;
import dev.kft.io.ConfinedPaths;
import dev.kft.model.ModelLoader;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Builds the model loader from the trainer's configuration. */
public class DomainBeans {

  /** Loads base models from the model roots or the hub, and checkpoints from the artifact root. */
  @Produces
  @ApplicationScoped
  ModelLoader modelLoader(TrainerConfig config) {
    List<Path> roots = new ArrayList<>(config.modelRoots());
    roots.add(config.artifactRoot());
    TrainerConfig.Hub hub = config.hub();
    return new ModelLoader(
        new ModelSource(
            new ConfinedPaths(roots),
            new HubClient(URI.create(hub.endpoint()), hub.cache(), hub.offline(), hub.token()),
            new ConvertedModels(
                config.convertedCache(), new MavenArtifacts(Optional.empty(), hub.offline()))));
  }
}
