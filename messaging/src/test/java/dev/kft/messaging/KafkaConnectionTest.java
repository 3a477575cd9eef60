package dev.kft.messaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("unit")
class KafkaConnectionTest {

  private static final Map<String, Object> CHANNELS =
      Map.of(
          "bootstrap.servers", "kafka:9093",
          "security.protocol", "SASL_SSL",
          "sasl.mechanism", "SCRAM-SHA-512",
          "sasl.jaas.config", "ScramLoginModule required username=\"u\" password=\"secret\";",
          "ssl.truststore.location", "/etc/kafka-ca/ca.crt",
          "group.id", "kft-registry",
          "acks", "1");

  @Test
  void aServiceOwnClientsGetItsServersAndSecurityButNotItsChannelSettings() {
    Map<String, Object> config = KafkaConnection.of(CHANNELS).config(Map.of("acks", "all"));
    assertEquals("SASL_SSL", config.get("security.protocol"));
    assertEquals("/etc/kafka-ca/ca.crt", config.get("ssl.truststore.location"));
    assertEquals(CHANNELS.get("sasl.jaas.config"), config.get("sasl.jaas.config"));
    assertEquals("all", config.get("acks"));
    assertFalse(config.containsKey("group.id"), "a channel's group is not every client's");
  }

  @Test
  void itsDescriptionNeverShowsTheCredential() {
    String shown = KafkaConnection.of(CHANNELS).toString();
    assertTrue(shown.contains("SCRAM-SHA-512") && shown.contains("kafka:9093"), shown);
    assertFalse(shown.contains("secret"), shown);
  }

  @Test
  void missingServersAreNamed() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> KafkaConnection.of(Map.of("security.protocol", "SASL_SSL")));
    assertTrue(e.getMessage().contains("kafka.bootstrap.servers"), e.getMessage());
  }
}
