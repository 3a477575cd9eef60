package dev.kft.inference.config;

import dev.kft.inference.domain.LoadedModels;
import dev.kft.inference.domain.ModelCatalog;
import dev.kft.io.ConfinedPaths;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;

/** Builds the catalogue of registered versions and the cache of loaded ones. */
public class DomainBeans {

  @Produces
  @ApplicationScoped
  ModelCatalog catalog() {
    return new ModelCatalog();
  }

  /** Loads versions from the registry's export root only. */
  @Produces
  @ApplicationScoped
  LoadedModels loadedModels(InferenceConfig config) {
    return new LoadedModels(
        new ConfinedPaths(config.modelRoots()), config.cacheBytes(), config.batchSize());
  }

  void unload(@Disposes LoadedModels models) {
    models.close();
  }
}
