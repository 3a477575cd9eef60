package dev.kft.messaging;

import io.smallrye.common.annotation.Identifier;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.util.Map;

/**
 * Makes every service's {@link KafkaConnection} from the configuration its channels share ({@code
 * kafka.*} properties and {@code KAFKA_*} environment variables, as Quarkus gathers them).
 */
public class KafkaConnections {

  @Produces
  @Singleton
  KafkaConnection connection(@Identifier("default-kafka-broker") Map<String, Object> kafka) {
    return KafkaConnection.of(kafka);
  }
}
