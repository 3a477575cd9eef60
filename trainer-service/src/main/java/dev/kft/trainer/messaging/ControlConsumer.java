package dev.kft.trainer.messaging;

import dev.kft.events.Event;
import dev.kft.events.StopTraining;
import dev.kft.events.Topics;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/** Reads {@code kft.control} and stops the running job when a {@code StopTraining} names it. */
@ApplicationScoped
public class ControlConsumer {

  private static final Logger LOG = Logger.getLogger(ControlConsumer.class);

  private final RunningJob running;

  public ControlConsumer(RunningJob running) {
    this.running = running;
  }

  @Incoming(Topics.CONTROL)
  public void onCommand(Event event) {
    if (event instanceof StopTraining stop && running.requestStop(stop.jobId(), stop.reason())) {
      LOG.infof(
          "job %s: stop requested (%s) by %s", stop.jobId(), stop.reason(), stop.requestedBy());
    }
  }
}
