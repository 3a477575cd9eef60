package dev.kft.cli;

import dev.kft.events.KafkaAcls;
import dev.kft.local.KafkaBroker;
import dev.kft.local.Server;
import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * The SCRAM users of the local stack's broker and their passwords: its super user and one per
 * principal of {@link KafkaAcls}, made once per checkout and kept in {@code .kft/}{@value #FILE},
 * readable by its owner alone. Each service process gets its own user through its environment,
 * never its command line.
 */
final class KafkaUsers {

  static final String FILE = "kafka-users.properties";

  /** No users: for listing the stack's parts, whose environments are then not used. */
  static final KafkaUsers NONE = new KafkaUsers(Map.of());

  private final Map<String, String> passwords;

  private KafkaUsers(Map<String, String> passwords) {
    this.passwords = passwords;
  }

  /** The users of the stack in {@code home}, if it has been started since kft secured Kafka. */
  static Optional<KafkaUsers> load(Path home) throws IOException {
    Path file = home.resolve(FILE);
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    Properties p = new Properties();
    try (Reader r = Files.newBufferedReader(file)) {
      p.load(r);
    }
    Map<String, String> passwords = new LinkedHashMap<>();
    p.stringPropertyNames().forEach(user -> passwords.put(user, p.getProperty(user)));
    return Optional.of(new KafkaUsers(passwords));
  }

  /** The users of the stack in {@code home}, made now for any principal that has none yet. */
  static KafkaUsers loadOrCreate(Path home) throws IOException {
    Map<String, String> passwords =
        new LinkedHashMap<>(load(home).map(u -> u.passwords).orElse(Map.of()));
    passwords.computeIfAbsent(KafkaBroker.ADMIN, u -> OwnerOnly.secret());
    for (String principal : KafkaAcls.PRINCIPALS) {
      passwords.computeIfAbsent(principal, u -> OwnerOnly.secret());
    }
    Properties p = new Properties();
    p.putAll(passwords);
    StringWriter w = new StringWriter();
    p.store(w, "the local stack's Kafka users, written by kft up");
    OwnerOnly.write(home.resolve(FILE), w.toString());
    return new KafkaUsers(passwords);
  }

  /** The super user's password. */
  String adminPassword() {
    return passwords.get(KafkaBroker.ADMIN);
  }

  /** Every principal's password, the super user's left out. */
  Map<String, String> principals() {
    Map<String, String> principals = new LinkedHashMap<>(passwords);
    principals.remove(KafkaBroker.ADMIN);
    return principals;
  }

  /** The client settings of {@code user}. */
  Map<String, String> clientSettings(String user) {
    return KafkaBroker.clientSettings(user, passwords.get(user));
  }

  /** The environment that makes the broker process secured, with its super user's password. */
  Map<String, String> brokerEnvironment() {
    String password = passwords.get(KafkaBroker.ADMIN);
    return password == null ? Map.of() : Map.of(Server.ADMIN_PASSWORD, password);
  }

  /** The environment that makes a Quarkus service's Kafka clients authenticate as {@code user}. */
  Map<String, String> environment(String user) {
    Map<String, String> env = new LinkedHashMap<>();
    if (!passwords.containsKey(user)) {
      return env;
    }
    clientSettings(user)
        .forEach((key, value) -> env.put("KAFKA_" + key.toUpperCase().replace('.', '_'), value));
    return env;
  }
}
