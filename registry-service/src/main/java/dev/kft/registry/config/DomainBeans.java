package dev.kft.registry.config;

import dev.kft.io.ConfinedPaths;
import dev.kft.registry.persistence.JobRepository;
import dev.kft.registry.persistence.ModelRepository;
import dev.kft.registry.registration.Registrar;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.util.List;

/** Builds the registrar from the registry's configuration. */
public class DomainBeans {

  @Produces
  @Singleton
  Registrar registrar(ModelRepository models, JobRepository jobs, RegistryConfig config) {
    return new Registrar(
        models, jobs, new ConfinedPaths(List.of(config.artifactRoot())), config.modelRoot());
  }
}
