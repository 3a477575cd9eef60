package dev.kft.inference.messaging;

import dev.kft.events.Event;
import dev.kft.events.ModelEvent;
import dev.kft.events.Topics;
import dev.kft.inference.domain.ModelCatalog;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Keeps the {@link ModelCatalog} up to date from {@code kft.models}: every registered version and
 * every alias move, read from the start by each instance.
 */
@ApplicationScoped
public class ModelEvents {

  private final ModelCatalog catalog;

  public ModelEvents(ModelCatalog catalog) {
    this.catalog = catalog;
  }

  @Incoming(Topics.MODELS)
  public void onEvent(Event event) {
    // records that are not kft events arrive as null and say nothing about models
    if (event instanceof ModelEvent e) {
      catalog.apply(e);
    }
  }
}
