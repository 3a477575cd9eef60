package dev.kft.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kft.events.KafkaAcls;
import dev.kft.events.Topics;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The Docker Compose setup scripts ({@code deploy/kafka/create-topics.sh}, {@code create-users.sh}
 * with {@code acls.tsv}) run with Kafka's own command-line tools against a secured broker: every
 * kft topic exists afterwards, the broker holds exactly the ACLs of {@link KafkaAcls}, and a
 * service signs in with the password the script set.
 */
@Tag("e2e")
class ComposeKafkaSetupTest {

  private static final Path DEPLOY = Path.of("..", "deploy", "kafka").toAbsolutePath().normalize();

  @Test
  void theScriptsMakeTheTopicsUsersAndAclsOfTheTable() throws Exception {
    try (KafkaBroker broker = KafkaBroker.startSecured(secret())) {
      Path work = Files.createTempDirectory("kft-compose-setup-");
      Path config = work.resolve("admin.properties");
      StringBuilder admin = new StringBuilder();
      broker.adminSettings().forEach((k, v) -> admin.append(k).append('=').append(v).append('\n'));
      Files.writeString(config, admin);
      Map<String, String> env = new HashMap<>(Map.of("KAFKA_TOOLS", tools(work).toString()));
      Map<String, String> passwords = new HashMap<>();
      for (String principal : KafkaAcls.PRINCIPALS) {
        if (!principal.equals(KafkaAcls.AUTOSCALER)) {
          passwords.put(principal, secret());
          String name = principal.substring("kft-".length()).replace('-', '_');
          env.put("KFT_KAFKA_PASSWORD_" + name.toUpperCase(Locale.ROOT), passwords.get(principal));
        }
      }
      String servers = broker.bootstrapServers();
      run(env, "create-topics.sh", servers, config.toString());
      run(
          env,
          "create-users.sh",
          servers,
          config.toString(),
          DEPLOY.resolve("acls.tsv").toString());

      Map<String, Object> client = new HashMap<>(broker.adminSettings());
      client.put("bootstrap.servers", servers);
      try (Admin a = Admin.create(client)) {
        assertTrue(a.listTopics().names().get().containsAll(Topics.ALL));
        Set<AclBinding> acls = new HashSet<>(a.describeAcls(AclBindingFilter.ANY).values().get());
        assertEquals(new HashSet<>(BrokerAccess.bindings(KafkaAcls.ALL)), acls);
      }
      Attempts dataPrep =
          new Attempts(
              servers,
              KafkaBroker.clientSettings(KafkaAcls.DATA_PREP, passwords.get(KafkaAcls.DATA_PREP)));
      assertTrue(dataPrep.write(Topics.BATCHES), "data-prep signs in with the script's password");
    }
  }

  /** Kafka's scripts, as the image has them: each runs its tool's class from this class path. */
  private static Path tools(Path work) throws Exception {
    Path bin = Files.createDirectory(work.resolve("bin"));
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Map<String, String> tools =
        Map.of(
            "kafka-topics.sh", "org.apache.kafka.tools.TopicCommand",
            "kafka-acls.sh", "org.apache.kafka.tools.AclCommand",
            "kafka-configs.sh", "kafka.admin.ConfigCommand");
    for (Map.Entry<String, String> tool : tools.entrySet()) {
      Path script = bin.resolve(tool.getKey());
      Files.writeString(
          script,
          "#!/bin/sh\nexec '"
              + java
              + "' -XX:TieredStopAtLevel=1 -cp '"
              + System.getProperty("java.class.path")
              + "' "
              + tool.getValue()
              + " \"$@\"\n");
      Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
    }
    return bin;
  }

  private static void run(Map<String, String> env, String script, String... args) throws Exception {
    List<String> command =
        new java.util.ArrayList<>(List.of("bash", DEPLOY.resolve(script).toString()));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().putAll(env);
    Process p = builder.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(5, TimeUnit.MINUTES), script + " timed out");
    assertEquals(0, p.exitValue(), script + ":\n" + out);
  }

  private static String secret() {
    byte[] bytes = new byte[24];
    new SecureRandom().nextBytes(bytes);
    return HexFormat.of().formatHex(bytes);
  }
}
