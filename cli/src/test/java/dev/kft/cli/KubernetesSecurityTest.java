package dev.kft.cli;

import static dev.kft.cli.KubernetesManifestsTest.ofKind;
import static dev.kft.cli.KubernetesManifestsTest.render;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kft.events.KafkaAcls;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The Kubernetes manifests keep kft's Kafka closed: one TLS listener where every client is a SCRAM
 * user, the standard authoriser, one {@code KafkaUser} per principal whose ACLs are exactly those
 * of {@link KafkaAcls}, every service signing in as its own user, the autoscaler as its.
 */
@Tag("e2e")
class KubernetesSecurityTest {

  /** Secrets the manifests refer to that the operator creates (docs/security.md says how). */
  static final Set<String> YOURS = Set.of("kft-registry");

  @ParameterizedTest
  @ValueSource(strings = {"cpu", "gpu"})
  void podsAreRestrictedAndTheManifestsHoldNoCredential(String overlay) throws Exception {
    List<JsonNode> objects = render(overlay);
    JsonNode namespace = ofKind(objects, "Namespace").get(0).path("metadata").path("labels");
    assertEquals("restricted", namespace.path("pod-security.kubernetes.io/enforce").asText());
    for (JsonNode deployment : ofKind(objects, "Deployment")) {
      String name = deployment.path("metadata").path("name").asText();
      JsonNode pod = deployment.path("spec").path("template").path("spec");
      assertTrue(pod.path("securityContext").path("runAsNonRoot").asBoolean(), name);
      assertEquals(
          "RuntimeDefault",
          pod.path("securityContext").path("seccompProfile").path("type").asText(),
          name);
      for (JsonNode container : pod.path("containers")) {
        JsonNode sc = container.path("securityContext");
        assertFalse(sc.path("allowPrivilegeEscalation").asBoolean(true), name);
        assertTrue(sc.path("readOnlyRootFilesystem").asBoolean(), name);
        assertEquals("[\"ALL\"]", sc.path("capabilities").path("drop").toString(), name);
        Set<String> mounts = new TreeSet<>();
        container.path("volumeMounts").forEach(m -> mounts.add(m.path("mountPath").asText()));
        assertTrue(mounts.contains("/tmp"), name + ": the JVM writes /tmp");
        assertTrue(mounts.contains("/deployments/.djl"), name + ": DJL unpacks its libraries");
      }
    }
    for (JsonNode secret : ofKind(objects, "Secret")) {
      for (String field : List.of("stringData", "data")) {
        secret
            .path(field)
            .fieldNames()
            .forEachRemaining(
                key ->
                    assertFalse(
                        key.matches("(?i).*(password|token|secret|key).*"),
                        secret.path("metadata").path("name").asText() + " holds " + key));
      }
      assertFalse(YOURS.contains(secret.path("metadata").path("name").asText()));
    }
    String security = java.nio.file.Files.readString(TestStack.ROOT.resolve("docs/security.md"));
    for (String yours : YOURS) {
      assertTrue(security.contains("kubectl create secret generic " + yours), yours);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"cpu"})
  void networkPoliciesDenyByDefaultAndOpenOnlyKftsFlows(String overlay) throws Exception {
    List<JsonNode> objects = render(overlay);
    List<JsonNode> policies = ofKind(objects, "NetworkPolicy");
    assertTrue(
        policies.stream()
            .anyMatch(
                p ->
                    p.path("spec").path("podSelector").isEmpty()
                        && p.path("spec").path("policyTypes").toString().contains("Ingress")
                        && !p.path("spec").has("ingress")),
        "a policy that selects every pod and admits nothing");
    for (JsonNode deployment : ofKind(objects, "Deployment")) {
      String name = deployment.path("metadata").path("name").asText();
      List<JsonNode> egress =
          policies.stream()
              .filter(
                  p ->
                      selects(p, name)
                          && p.path("spec").path("policyTypes").toString().contains("Egress"))
              .toList();
      assertFalse(egress.isEmpty(), name + "'s egress is limited");
      Set<Integer> ports = new TreeSet<>();
      for (JsonNode p : egress) {
        for (JsonNode rule : p.path("spec").path("egress")) {
          rule.path("ports").forEach(port -> ports.add(port.path("port").asInt()));
          for (JsonNode to : rule.path("to")) {
            if (to.has("ipBlock")) {
              assertTrue(
                  to.path("ipBlock").path("except").toString().contains("169.254.0.0/16"),
                  name + " may not reach link-local (cloud metadata) addresses");
            }
          }
          assertTrue(rule.has("to"), name + ": an egress rule to anywhere");
        }
      }
      assertTrue(ports.containsAll(Set.of(53, 9093)), name + " reaches DNS and Kafka: " + ports);
      assertEquals(name.equals("registry"), ports.contains(5432), name + " and the database");
      assertEquals(name.equals("data-prep"), ports.contains(443), name + " and the internet");
    }
    JsonNode listener =
        ofKind(objects, "Kafka").get(0).path("spec").path("kafka").path("listeners").get(0);
    assertFalse(listener.path("networkPolicyPeers").isEmpty(), "Kafka admits named peers only");
  }

  /** Whether {@code policy} selects the pods of the Deployment {@code name}. */
  private static boolean selects(JsonNode policy, String name) {
    JsonNode selector = policy.path("spec").path("podSelector");
    if (selector.path("matchLabels").has("app.kubernetes.io/name")) {
      return selector.path("matchLabels").path("app.kubernetes.io/name").asText().equals(name);
    }
    for (JsonNode e : selector.path("matchExpressions")) {
      if (e.path("key").asText().equals("app.kubernetes.io/name")
          && e.path("operator").asText().equals("In")) {
        for (JsonNode v : e.path("values")) {
          if (v.asText().equals(name)) {
            return true;
          }
        }
      }
    }
    return false;
  }

  @ParameterizedTest
  @ValueSource(strings = {"cpu", "gpu"})
  void kafkaAdmitsOnlyItsUsersEachWithTheAclsOfTheTable(String overlay) throws Exception {
    List<JsonNode> objects = render(overlay);
    JsonNode kafka = ofKind(objects, "Kafka").get(0).path("spec").path("kafka");
    for (JsonNode listener : kafka.path("listeners")) {
      assertTrue(listener.path("tls").asBoolean(), listener.toString());
      assertEquals("scram-sha-512", listener.path("authentication").path("type").asText());
    }
    assertEquals("simple", kafka.path("authorization").path("type").asText());

    Map<String, Set<String>> declared = new TreeMap<>();
    for (JsonNode user : ofKind(objects, "KafkaUser")) {
      JsonNode spec = user.path("spec");
      assertEquals("scram-sha-512", spec.path("authentication").path("type").asText());
      assertEquals("simple", spec.path("authorization").path("type").asText());
      Set<String> acls = new TreeSet<>();
      for (JsonNode acl : spec.path("authorization").path("acls")) {
        for (JsonNode operation : acl.path("operations")) {
          acls.add(
              String.join(
                  " ",
                  acl.path("type").asText("allow"),
                  operation.asText().toUpperCase(),
                  acl.path("resource").path("type").asText().toUpperCase(),
                  acl.path("resource").path("patternType").asText(),
                  acl.path("resource").path("name").asText()));
        }
      }
      declared.put(user.path("metadata").path("name").asText(), acls);
    }
    Map<String, Set<String>> table = new TreeMap<>();
    for (KafkaAcls.Acl acl : KafkaAcls.ALL) {
      for (KafkaAcls.Operation operation : acl.operations()) {
        table
            .computeIfAbsent(acl.principal(), p -> new TreeSet<>())
            .add(
                String.join(
                    " ",
                    acl.deny() ? "deny" : "allow",
                    operation.name(),
                    acl.resource().name().replace("_", ""),
                    acl.prefixed() ? "prefix" : "literal",
                    acl.name()));
      }
    }
    assertEquals(table, declared);
  }

  @ParameterizedTest
  @ValueSource(strings = {"cpu", "gpu"})
  void eachServiceSignsInAsItsOwnUserOverTls(String overlay) throws Exception {
    List<JsonNode> objects = render(overlay);
    JsonNode config =
        ofKind(objects, "ConfigMap").stream()
            .filter(m -> m.path("metadata").path("name").asText().equals("kft-config"))
            .findFirst()
            .orElseThrow()
            .path("data");
    assertEquals("SASL_SSL", config.path("KAFKA_SECURITY_PROTOCOL").asText());
    assertEquals("SCRAM-SHA-512", config.path("KAFKA_SASL_MECHANISM").asText());
    String truststore = config.path("KAFKA_SSL_TRUSTSTORE_LOCATION").asText();
    for (JsonNode deployment : ofKind(objects, "Deployment")) {
      String name = deployment.path("metadata").path("name").asText();
      JsonNode pod = deployment.path("spec").path("template").path("spec");
      JsonNode container = pod.path("containers").get(0);
      List<String> jaas = new ArrayList<>();
      for (JsonNode env : container.path("env")) {
        if (env.path("name").asText().equals("KAFKA_SASL_JAAS_CONFIG")) {
          JsonNode ref = env.path("valueFrom").path("secretKeyRef");
          jaas.add(ref.path("name").asText() + "/" + ref.path("key").asText());
        }
      }
      assertEquals(List.of("kft-" + name + "/sasl.jaas.config"), jaas, name);
      String mount = mountOf(pod, container, "kft-cluster-ca-cert");
      assertTrue(truststore.startsWith(mount + "/"), name + " mounts the CA at " + mount);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"cpu"})
  void theAutoscalerReadsLagAsItsOwnUser(String overlay) throws Exception {
    List<JsonNode> objects = render(overlay);
    Set<String> auths = new TreeSet<>();
    for (JsonNode so : ofKind(objects, "ScaledObject")) {
      for (JsonNode trigger : so.path("spec").path("triggers")) {
        if (trigger.path("type").asText().equals("kafka")) {
          auths.add(trigger.path("authenticationRef").path("name").asText());
          assertTrue(trigger.path("metadata").path("bootstrapServers").asText().endsWith(":9093"));
        }
      }
    }
    assertEquals(1, auths.size(), "one way for KEDA to sign in: " + auths);
    JsonNode auth =
        ofKind(objects, "TriggerAuthentication").stream()
            .filter(a -> auths.contains(a.path("metadata").path("name").asText()))
            .findFirst()
            .orElseThrow();
    Map<String, String> refs = new TreeMap<>();
    for (JsonNode ref : auth.path("spec").path("secretTargetRef")) {
      refs.put(
          ref.path("parameter").asText(),
          ref.path("name").asText() + "/" + ref.path("key").asText());
    }
    assertEquals(KafkaAcls.AUTOSCALER + "/password", refs.get("password"));
    assertEquals("kft-cluster-ca-cert/ca.crt", refs.get("ca"));
    JsonNode signIn =
        ofKind(objects, "Secret").stream()
            .filter(
                s ->
                    refs.get("username").startsWith(s.path("metadata").path("name").asText() + "/"))
            .findFirst()
            .orElseThrow()
            .path("stringData");
    assertEquals(KafkaAcls.AUTOSCALER, signIn.path("username").asText());
    assertEquals("scram_sha512", signIn.path("sasl").asText());
    assertEquals("enable", signIn.path("tls").asText());
    assertFalse(signIn.has("password"), "the password stays in the User Operator's Secret");
  }

  /** Where {@code container} mounts the volume made of Secret {@code secret}. */
  private static String mountOf(JsonNode pod, JsonNode container, String secret) {
    for (JsonNode volume : pod.path("volumes")) {
      if (volume.path("secret").path("secretName").asText().equals(secret)) {
        for (JsonNode mount : container.path("volumeMounts")) {
          if (mount.path("name").asText().equals(volume.path("name").asText())) {
            assertTrue(mount.path("readOnly").asBoolean(), "read-only " + secret);
            return mount.path("mountPath").asText();
          }
        }
      }
    }
    throw new AssertionError("no mount of " + secret);
  }
}
