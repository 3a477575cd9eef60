package dev.kft.testing;

import dev.kft.local.KafkaBroker;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The Quarkus test resource every kft service test uses: it starts one in-JVM {@link KafkaBroker}
 * and points the application's Kafka clients at it. Give every test class the same
 * {@code @WithTestResource(KafkaBrokerResource.class)} so Quarkus keeps one application and one
 * broker for the whole module.
 */
public class KafkaBrokerResource implements QuarkusTestResourceLifecycleManager {

  private static final String[] NOISY_LOGGERS = {
    "kafka", "org.apache.kafka", "state.change.logger", "org.apache.zookeeper"
  };

  private static volatile KafkaBroker broker;

  /** The running broker, for tests that need its address directly. */
  public static KafkaBroker broker() {
    if (broker == null) {
      throw new IllegalStateException("the test Kafka broker is not running");
    }
    return broker;
  }

  @Override
  public Map<String, String> start() {
    for (String name : NOISY_LOGGERS) {
      Logger.getLogger(name).setLevel(Level.WARNING);
    }
    broker = KafkaBroker.start();
    return Map.of(
        "kafka.bootstrap.servers", broker.bootstrapServers(),
        "quarkus.kafka.devservices.enabled", "false",
        "quarkus.log.category.\"kafka\".level", "WARN",
        "quarkus.log.category.\"org.apache.kafka\".level", "WARN",
        "quarkus.log.category.\"state.change.logger\".level", "WARN");
  }

  @Override
  public void stop() {
    if (broker != null) {
      broker.close();
      broker = null;
    }
  }
}
