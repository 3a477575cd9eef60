package dev.kft.inference.messaging;

import dev.kft.events.Event;
import dev.kft.events.ModelEvent;
import dev.kft.events.ScoringDeclared;
import dev.kft.events.ScoringRemoved;
import dev.kft.events.Topics;
import dev.kft.inference.domain.ModelCatalog;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Keeps the {@link ModelCatalog} up to date from {@code kft.models} (every registered version and
 * every alias move, read from the start by each instance) and starts and stops the {@link Scorers}
 * of scoring deployments as they are declared and removed.
 */
@ApplicationScoped
public class ModelEvents {

  private final ModelCatalog catalog;
  private final Scorers scorers;

  public ModelEvents(ModelCatalog catalog, Scorers scorers) {
    this.catalog = catalog;
    this.scorers = scorers;
  }

  @Incoming(Topics.MODELS)
  @Blocking
  public void onEvent(Event event) throws InterruptedException {
    // records that are not kft events arrive as null and say nothing about models
    if (event instanceof ModelEvent e) {
      catalog.apply(e);
    }
    if (event instanceof ScoringDeclared d) {
      scorers.declare(d);
    } else if (event instanceof ScoringRemoved r) {
      scorers.remove(r.deployment());
    }
  }
}
