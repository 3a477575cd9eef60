package dev.kft.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.kft.events.Topics;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Both overlays render with {@code kubectl kustomize}; every core object parses strictly into its
 * Kubernetes type (no field the type does not know), the operators' objects have the shapes their
 * CRDs define, and every reference resolves: Service and PodMonitor selectors match pods, env and
 * volume references name existing ConfigMaps, Secrets and claims, every kft topic has exactly one
 * KafkaTopic, and the GPU overlay (only) puts the trainer on a GPU.
 */
@Tag("e2e")
class KubernetesManifestsTest {

  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
  private static final ObjectMapper JSON = new ObjectMapper();

  static List<JsonNode> render(String overlay) throws Exception {
    assumeTrue(
        Stream.of(System.getenv("PATH").split(":"))
            .anyMatch(d -> Files.isExecutable(Path.of(d, "kubectl"))),
        "kubectl is not installed");
    Process p =
        new ProcessBuilder("kubectl", "kustomize", "k8s/overlays/" + overlay)
            .directory(ROOT.toFile())
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(1, TimeUnit.MINUTES));
    assertEquals(0, p.exitValue(), out);
    List<JsonNode> objects = new ArrayList<>();
    new ObjectMapper(new YAMLFactory())
        .readerFor(JsonNode.class)
        .readValues(out)
        .forEachRemaining(o -> objects.add((JsonNode) o));
    return objects;
  }

  static List<JsonNode> ofKind(List<JsonNode> objects, String kind) {
    return objects.stream().filter(o -> o.path("kind").asText().equals(kind)).toList();
  }

  private static <T> List<T> typed(List<JsonNode> objects, String kind, Class<T> type)
      throws Exception {
    List<T> typed = new ArrayList<>();
    for (JsonNode o : ofKind(objects, kind)) {
      T value = JSON.treeToValue(o, type);
      List<String> unknown = new ArrayList<>();
      StrictModel.unknownFields(
          value, kind + "/" + o.path("metadata").path("name").asText(), unknown);
      assertEquals(List.of(), unknown, "fields " + type.getSimpleName() + " does not know");
      typed.add(value);
    }
    return typed;
  }

  @ParameterizedTest
  @ValueSource(strings = {"cpu", "gpu"})
  void overlaysRenderIntoValidObjectsWhoseReferencesResolve(String overlay) throws Exception {
    List<JsonNode> objects = render(overlay);
    Set<String> kinds = new TreeSet<>();
    objects.forEach(o -> kinds.add(o.path("kind").asText()));
    assertEquals(
        Set.of(
            "Namespace",
            "ConfigMap",
            "Secret",
            "PersistentVolumeClaim",
            "Deployment",
            "Service",
            "Kafka",
            "KafkaNodePool",
            "KafkaTopic",
            "KafkaUser",
            "Cluster",
            "ScaledObject",
            "TriggerAuthentication",
            "NetworkPolicy",
            "PodMonitor",
            "Ingress"),
        kinds);
    ingressReachesTheRegistry(objects);
    typed(objects, "Namespace", Namespace.class);
    List<ConfigMap> configMaps = typed(objects, "ConfigMap", ConfigMap.class);
    List<Secret> secrets = typed(objects, "Secret", Secret.class);
    List<PersistentVolumeClaim> claims =
        typed(objects, "PersistentVolumeClaim", PersistentVolumeClaim.class);
    List<Deployment> deployments = typed(objects, "Deployment", Deployment.class);
    List<Service> services = typed(objects, "Service", Service.class);
    assertEquals(
        Set.of("data-prep", "trainer", "evaluator", "registry", "inference"),
        names(deployments.stream().map(d -> d.getMetadata().getName())));
    objects.forEach(o -> assertEquals("kft", o.path("metadata").path("namespace").asText("kft")));

    for (Service s : services) {
      assertTrue(
          deployments.stream()
              .anyMatch(
                  d ->
                      d.getSpec()
                          .getTemplate()
                          .getMetadata()
                          .getLabels()
                          .entrySet()
                          .containsAll(s.getSpec().getSelector().entrySet())),
          "Service " + s.getMetadata().getName() + " selects a pod");
    }
    Set<String> claimNames = names(claims.stream().map(c -> c.getMetadata().getName()));
    // Strimzi's User Operator keeps each KafkaUser's password in a Secret of the user's name
    Set<String> userSecrets =
        names(
            ofKind(objects, "KafkaUser").stream()
                .map(u -> u.path("metadata").path("name").asText()));
    String db = ofKind(objects, "Cluster").get(0).path("metadata").path("name").asText();
    for (Deployment d : deployments) {
      var pod = d.getSpec().getTemplate().getSpec();
      assertEquals(
          d.getSpec().getSelector().getMatchLabels().entrySet().stream()
              .allMatch(
                  e ->
                      e.getValue()
                          .equals(
                              d.getSpec().getTemplate().getMetadata().getLabels().get(e.getKey()))),
          true,
          d.getMetadata().getName() + " selector matches its pods");
      for (Volume v : pod.getVolumes()) {
        boolean claimed =
            v.getPersistentVolumeClaim() != null
                && claimNames.contains(v.getPersistentVolumeClaim().getClaimName());
        boolean clusterCa =
            v.getSecret() != null && v.getSecret().getSecretName().equals("kft-cluster-ca-cert");
        assertTrue(claimed || clusterCa || v.getEmptyDir() != null, v.getName());
      }
      for (Container c : pod.getContainers()) {
        c.getEnvFrom()
            .forEach(
                f ->
                    assertTrue(
                        configMaps.stream()
                            .anyMatch(
                                m ->
                                    m.getMetadata()
                                        .getName()
                                        .equals(f.getConfigMapRef().getName()))));
        for (EnvVar e : c.getEnv()) {
          if (e.getValueFrom() != null && e.getValueFrom().getSecretKeyRef() != null) {
            String name = e.getValueFrom().getSecretKeyRef().getName();
            String key = e.getValueFrom().getSecretKeyRef().getKey();
            boolean made =
                name.equals(db + "-app") && Set.of("username", "password").contains(key)
                    || userSecrets.contains(name)
                        && Set.of("password", "sasl.jaas.config").contains(key);
            boolean declared =
                secrets.stream()
                    .anyMatch(
                        s ->
                            s.getMetadata().getName().equals(name)
                                && (s.getStringData().containsKey(key)
                                    || s.getData().containsKey(key)));
            boolean yours = KubernetesSecurityTest.YOURS.contains(name);
            assertTrue(made || declared || yours, e.getName() + " -> secret " + name + "/" + key);
          }
        }
        assertEquals("http", c.getPorts().get(0).getName());
        assertEquals("/q/health/ready", c.getReadinessProbe().getHttpGet().getPath());
        assertEquals("/q/health/live", c.getLivenessProbe().getHttpGet().getPath());
        assertTrue(c.getResources().getLimits().containsKey("memory"), c.getName());
      }
    }
    operators(objects, configMaps, deployments, db);
    Deployment trainer =
        deployments.stream()
            .filter(d -> d.getMetadata().getName().equals("trainer"))
            .findFirst()
            .orElseThrow();
    var pod = trainer.getSpec().getTemplate().getSpec();
    Quantity gpu = pod.getContainers().get(0).getResources().getLimits().get("nvidia.com/gpu");
    if (overlay.equals("gpu")) {
      assertEquals(new Quantity("1"), gpu);
      assertEquals("nvidia.com/gpu", pod.getTolerations().get(0).getKey());
      assertEquals("true", pod.getNodeSelector().get("nvidia.com/gpu.present"));
      assertTrue(pod.getContainers().get(0).getImage().endsWith(":gpu"));
    } else {
      assertEquals(null, gpu);
    }
  }

  /**
   * The Ingress sends every path to the registry's http port, over TLS for the host the overlay's
   * kft-ingress ConfigMap names, with the secret it names.
   */
  private static void ingressReachesTheRegistry(List<JsonNode> objects) {
    JsonNode ingress = ofKind(objects, "Ingress").get(0);
    JsonNode parameters =
        ofKind(objects, "ConfigMap").stream()
            .filter(m -> m.path("metadata").path("name").asText().equals("kft-ingress"))
            .findFirst()
            .orElseThrow()
            .path("data");
    JsonNode rule = ingress.path("spec").path("rules").path(0);
    assertEquals(parameters.path("host").asText(), rule.path("host").asText());
    JsonNode tls = ingress.path("spec").path("tls").path(0);
    assertEquals(parameters.path("host").asText(), tls.path("hosts").path(0).asText());
    assertEquals(parameters.path("tlsSecret").asText(), tls.path("secretName").asText());
    JsonNode backend = rule.path("http").path("paths").path(0).path("backend").path("service");
    assertEquals("registry", backend.path("name").asText());
    assertEquals("http", backend.path("port").path("name").asText());
    assertEquals(
        "off",
        ingress
            .path("metadata")
            .path("annotations")
            .path("nginx.ingress.kubernetes.io/proxy-buffering")
            .asText(),
        "event streams are not buffered");
  }

  /** The Strimzi, CloudNativePG, KEDA and Prometheus Operator objects and what they refer to. */
  private static void operators(
      List<JsonNode> objects, List<ConfigMap> configMaps, List<Deployment> deployments, String db)
      throws IOException {
    JsonNode kafka = ofKind(objects, "Kafka").get(0);
    String cluster = kafka.path("metadata").path("name").asText();
    assertEquals("kafka.strimzi.io/v1beta2", kafka.path("apiVersion").asText());
    assertEquals(
        "enabled", kafka.path("metadata").path("annotations").path("strimzi.io/kraft").asText());
    assertEquals(
        "enabled",
        kafka.path("metadata").path("annotations").path("strimzi.io/node-pools").asText());
    assertTrue(kafka.path("spec").path("kafka").path("listeners").get(0).has("port"));
    JsonNode pool = ofKind(objects, "KafkaNodePool").get(0);
    assertEquals(cluster, pool.path("metadata").path("labels").path("strimzi.io/cluster").asText());
    assertEquals(Set.of("controller", "broker"), texts(pool.path("spec").path("roles")));
    Set<String> topics = new TreeSet<>();
    for (JsonNode t : ofKind(objects, "KafkaTopic")) {
      assertEquals(cluster, t.path("metadata").path("labels").path("strimzi.io/cluster").asText());
      assertTrue(t.path("spec").path("partitions").asInt() > 0);
      assertEquals("delete", t.path("spec").path("config").path("cleanup.policy").asText());
      assertTrue(topics.add(t.path("spec").path("topicName").asText()), "one KafkaTopic per topic");
    }
    assertEquals(new TreeSet<>(Topics.ALL), topics);
    Map<String, String> config =
        configMaps.stream()
            .filter(m -> m.getMetadata().getName().equals("kft-config"))
            .findFirst()
            .orElseThrow()
            .getData();
    assertEquals(cluster + "-kafka-bootstrap:9093", config.get("KAFKA_BOOTSTRAP_SERVERS"));
    assertTrue(config.get("KFT_REGISTRY_DB_URL").contains("//" + db + "-rw:5432/"));
    JsonNode pg = ofKind(objects, "Cluster").get(0);
    assertEquals("postgresql.cnpg.io/v1", pg.path("apiVersion").asText());
    assertTrue(pg.path("spec").path("instances").asInt() >= 1);
    assertTrue(pg.path("spec").path("storage").has("size"));
    Set<String> deploymentNames = names(deployments.stream().map(d -> d.getMetadata().getName()));
    for (JsonNode so : ofKind(objects, "ScaledObject")) {
      assertEquals("keda.sh/v1alpha1", so.path("apiVersion").asText());
      assertTrue(
          deploymentNames.contains(so.path("spec").path("scaleTargetRef").path("name").asText()));
      for (JsonNode trigger : so.path("spec").path("triggers")) {
        checkTrigger(so, trigger, deployments, config);
      }
    }
    JsonNode monitor = ofKind(objects, "PodMonitor").get(0);
    JsonNode selector = monitor.path("spec").path("selector").path("matchLabels");
    for (Deployment d : deployments) {
      Map<String, String> labels = d.getSpec().getTemplate().getMetadata().getLabels();
      selector
          .fields()
          .forEachRemaining(
              e ->
                  assertEquals(
                      e.getValue().asText(),
                      labels.get(e.getKey()),
                      d.getMetadata().getName() + " is scraped"));
    }
    assertEquals(
        "/q/metrics",
        monitor.path("spec").path("podMetricsEndpoints").get(0).path("path").asText());
    ConfigMap dashboards =
        configMaps.stream()
            .filter(m -> m.getMetadata().getName().equals("kft-dashboards"))
            .findFirst()
            .orElseThrow();
    assertEquals(
        Set.of("kft-pipeline.json", "kft-training.json", "kft-inference.json"),
        dashboards.getData().keySet());
  }

  private static Set<String> texts(JsonNode array) {
    Set<String> set = new TreeSet<>();
    array.forEach(n -> set.add(n.asText()));
    return set;
  }

  private static Set<String> names(Stream<String> names) {
    return new TreeSet<>(names.toList());
  }

  /**
   * A ScaledObject's trigger: CPU needs the target's CPU request, Kafka lag a kft topic on the
   * cluster's bootstrap servers, Prometheus a query over metrics kft documents.
   */
  private static void checkTrigger(
      JsonNode so, JsonNode trigger, List<Deployment> deployments, Map<String, String> config)
      throws IOException {
    String target = so.path("spec").path("scaleTargetRef").path("name").asText();
    switch (trigger.path("type").asText()) {
      case "cpu" -> {
        // an HPA on CPU utilisation needs the target's CPU request
        assertTrue(
            deployments.stream()
                .filter(d -> d.getMetadata().getName().equals(target))
                .allMatch(
                    d ->
                        d.getSpec().getTemplate().getSpec().getContainers().stream()
                            .allMatch(c -> c.getResources().getRequests().containsKey("cpu"))),
            target + " requests CPU");
        assertTrue(Integer.parseInt(trigger.path("metadata").path("value").asText()) > 0);
      }
      case "kafka" -> {
        assertTrue(Topics.ALL.contains(trigger.path("metadata").path("topic").asText()));
        assertEquals(
            config.get("KAFKA_BOOTSTRAP_SERVERS"),
            trigger.path("metadata").path("bootstrapServers").asText());
      }
      case "prometheus" -> {
        String documented = Files.readString(Path.of("..", "docs", "metrics.md"));
        Set<String> names = DashboardMetrics.names(trigger.path("metadata").path("query").asText());
        assertFalse(names.isEmpty(), target + ": a query over some metric");
        for (String name : names) {
          assertTrue(documented.contains("`" + name + "`"), target + ": " + name + " is kft's");
        }
        assertTrue(Double.parseDouble(trigger.path("metadata").path("threshold").asText()) > 0);
      }
      default -> fail(target + ": an unexpected trigger " + trigger);
    }
  }
}
