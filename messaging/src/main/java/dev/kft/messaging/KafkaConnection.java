package dev.kft.messaging;

import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.clients.CommonClientConfigs;

/**
 * How a service's own Kafka clients reach the broker and prove who they are: the bootstrap servers
 * and the security settings ({@code security.protocol}, {@code sasl.*}, {@code ssl.*}) that its
 * channels use too, so the clients a service creates itself run under the same principal as its
 * channels.
 */
public final class KafkaConnection {

  private final Map<String, Object> settings;

  private KafkaConnection(Map<String, Object> settings) {
    this.settings = Map.copyOf(settings);
  }

  /** A connection without authentication, as to the test broker. */
  public static KafkaConnection plaintext(String bootstrapServers) {
    return new KafkaConnection(
        Map.of(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers));
  }

  /**
   * The connection that {@code kafkaConfig} (a Kafka client configuration, such as the one all of a
   * service's channels share) describes; settings other than the servers and security are left out.
   *
   * @throws IllegalArgumentException when {@code bootstrap.servers} is missing
   */
  public static KafkaConnection of(Map<String, ?> kafkaConfig) {
    Map<String, Object> kept = new HashMap<>();
    kafkaConfig.forEach(
        (key, value) -> {
          if (key.equals(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG)
              || key.equals(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG)
              || key.startsWith("sasl.")
              || key.startsWith("ssl.")) {
            kept.put(key, value);
          }
        });
    if (!kept.containsKey(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG)) {
      throw new IllegalArgumentException("kafka.bootstrap.servers: not set");
    }
    return new KafkaConnection(kept);
  }

  /** The {@code bootstrap.servers} value. */
  public String bootstrapServers() {
    return settings.get(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG).toString();
  }

  /** A client configuration: this connection's settings and then {@code client}'s. */
  public Map<String, Object> config(Map<String, ?> client) {
    Map<String, Object> config = new HashMap<>(settings);
    config.putAll(client);
    return config;
  }

  /** The security protocol and SASL mechanism, never a credential: for logs. */
  @Override
  public String toString() {
    Map<String, Object> shown = new TreeMap<>();
    shown.put("bootstrap.servers", bootstrapServers());
    shown.put(
        "security.protocol",
        settings.getOrDefault(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "PLAINTEXT"));
    if (settings.containsKey("sasl.mechanism")) {
      shown.put("sasl.mechanism", settings.get("sasl.mechanism"));
    }
    return shown.toString();
  }
}
