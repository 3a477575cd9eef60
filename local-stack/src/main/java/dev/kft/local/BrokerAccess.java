package dev.kft.local;

import dev.kft.events.KafkaAcls;
import dev.kft.events.KafkaAcls.Acl;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialAlteration;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;

/**
 * Gives kft's principals their SCRAM credentials and the ACLs of {@link KafkaAcls} on a secured
 * broker, through an admin client of its super user.
 */
public final class BrokerAccess {

  /** PBKDF2 rounds of each credential; Kafka's minimum for SCRAM-SHA-512. */
  private static final int ITERATIONS = 4096;

  private BrokerAccess() {}

  /**
   * Creates (or replaces) the credential of every principal in {@code passwords} and adds every ACL
   * of {@link KafkaAcls#ALL}; adding an ACL that exists changes nothing.
   */
  public static void grant(Admin admin, Map<String, String> passwords)
      throws InterruptedException, ExecutionException {
    List<UserScramCredentialAlteration> credentials = new ArrayList<>();
    passwords.forEach(
        (user, password) ->
            credentials.add(
                new UserScramCredentialUpsertion(
                    user,
                    new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, ITERATIONS),
                    password)));
    admin.alterUserScramCredentials(credentials).all().get();
    admin.createAcls(bindings(KafkaAcls.ALL)).all().get();
  }

  /** Kafka's bindings for {@code acls}: one per operation of each entry, from any host. */
  public static List<AclBinding> bindings(List<Acl> acls) {
    List<AclBinding> bindings = new ArrayList<>();
    for (Acl acl : acls) {
      ResourcePattern pattern =
          new ResourcePattern(
              switch (acl.resource()) {
                case TOPIC -> ResourceType.TOPIC;
                case GROUP -> ResourceType.GROUP;
                case TRANSACTIONAL_ID -> ResourceType.TRANSACTIONAL_ID;
              },
              acl.name(),
              acl.prefixed() ? PatternType.PREFIXED : PatternType.LITERAL);
      for (KafkaAcls.Operation operation : acl.operations()) {
        bindings.add(
            new AclBinding(
                pattern,
                new AccessControlEntry(
                    "User:" + acl.principal(),
                    "*",
                    AclOperation.valueOf(operation.name()),
                    acl.deny() ? AclPermissionType.DENY : AclPermissionType.ALLOW)));
      }
    }
    return bindings;
  }
}
