package dev.kft.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The secrets the local stack's processes get, made once per checkout and kept in {@code .kft/},
 * each file readable by its owner alone (one from an earlier kft is made so too): the registry's
 * write token ({@code token}), the Kafka users ({@link KafkaUsers}) and PostgreSQL's superuser
 * password ({@code postgres.password}).
 *
 * @param database PostgreSQL's password
 */
record StackSecrets(String token, KafkaUsers kafka, String database) {

  /** No secrets: for listing the stack's parts, whose environments are then not used. */
  static final StackSecrets NONE = new StackSecrets("", KafkaUsers.NONE, "");

  /**
   * The secrets of the stack in {@code home}, made now where missing.
   *
   * @throws IOException when Kafka's data predates its users: that broker would refuse them all
   */
  static StackSecrets load(Path home) throws IOException {
    if (KafkaUsers.load(home).isEmpty()
        && Files.exists(home.resolve("kafka/log/meta.properties"))) {
      throw new IOException(
          "the Kafka data in "
              + home.resolve("kafka")
              + " was made by a kft whose broker had no users; run kft down --purge (it deletes"
              + " the local stack's jobs and versions) and kft up again");
    }
    return new StackSecrets(
        OwnerOnly.secretIn(home.resolve("token")),
        KafkaUsers.loadOrCreate(home),
        OwnerOnly.secretIn(home.resolve("postgres.password")));
  }
}
