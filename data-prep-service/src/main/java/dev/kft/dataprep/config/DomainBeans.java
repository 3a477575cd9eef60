package dev.kft.dataprep.config;

import dev.kft.checkpoint.ConvertedModels;
import dev.kft.checkpoint.HubClient;
import dev.kft.checkpoint.MavenArtifacts;
import dev.kft.checkpoint.ModelSource;
import dev.kft.dataprep.domain.AugmentationInputs;
import dev.kft.dataprep.domain.DataPreparation;
import dev.kft.dataprep.domain.DataSources;
import dev.kft.dataprep.domain.OutboundPolicy;
import dev.kft.io.ConfinedPaths;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import java.net.URI;
import java.util.List;
import java.util.Optional;

/** Builds the plain-Java domain objects from the service's configuration. */
public class DomainBeans {

  @Produces
  @ApplicationScoped
  DataPreparation dataPreparation(DataPrepConfig config) {
    DataSources sources =
        new DataSources(
            new ConfinedPaths(config.dataRoots()),
            config.maxHttpBytes(),
            config.httpTimeout(),
            new OutboundPolicy(config.allowedHosts().orElse(List.of())));
    return new DataPreparation(
        sources,
        new AugmentationInputs(sources, config.translationApiKey()),
        config.maxRowChars(),
        config.maxRows());
  }

  @Produces
  @ApplicationScoped
  ModelSource modelSource(DataPrepConfig config) {
    DataPrepConfig.Hub hub = config.hub();
    return new ModelSource(
        new ConfinedPaths(config.modelRoots()),
        new HubClient(URI.create(hub.endpoint()), hub.cache(), hub.offline(), hub.token()),
        new ConvertedModels(
            config.convertedCache(), new MavenArtifacts(Optional.empty(), hub.offline())));
  }
}
