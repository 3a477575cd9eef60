package dev.kft.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kft.json.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.ComposeContainer;
import org.testcontainers.containers.wait.strategy.Wait;

/**
 * Brings the whole Docker Compose stack up (images built from the packaged services) where a Docker
 * engine exists, and checks that the registry is ready and Grafana serves the kft dashboards;
 * skipped where there is no engine (as on kft's CI machine).
 */
@Tag("e2e")
class ComposeStackTest {

  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

  private static boolean dockerAvailable() {
    try {
      return DockerClientFactory.instance().isDockerAvailable();
    } catch (RuntimeException e) {
      return false;
    }
  }

  @Test
  void theComposeStackComesUpWithItsDashboards() throws Exception {
    assumeTrue(dockerAvailable(), "no Docker engine here");
    String grafanaPassword = OwnerOnly.secret();
    try (ComposeContainer compose =
        new ComposeContainer(ROOT.resolve("docker-compose.yml").toFile())
            .withEnv(
                Map.of(
                    "KFT_TOKEN", OwnerOnly.secret(),
                    "KFT_DB_PASSWORD", OwnerOnly.secret(),
                    "KFT_GRAFANA_PASSWORD", grafanaPassword))
            .withBuild(true)
            .withExposedService(
                "registry", 8080, Wait.forHealthcheck().withStartupTimeout(Duration.ofMinutes(5)))
            .withExposedService("grafana", 3000, Wait.forHttp("/api/health").forStatusCode(200))) {
      compose.start();
      HttpClient http = HttpClient.newHttpClient();
      JsonNode ready = get(http, url(compose, "registry", 8080) + "/q/health/ready", null);
      assertEquals("UP", ready.path("status").asText());
      String grafana = url(compose, "grafana", 3000);
      JsonNode dashboards =
          get(
              http,
              grafana + "/api/search?tag=kft",
              "Basic "
                  + java.util.Base64.getEncoder()
                      .encodeToString(("admin:" + grafanaPassword).getBytes()));
      assertEquals(3, dashboards.size(), dashboards.toString());
      assertTrue(dashboards.toString().contains("kft training"));
    }
  }

  private static String url(ComposeContainer compose, String service, int port) {
    return "http://"
        + compose.getServiceHost(service, port)
        + ":"
        + compose.getServicePort(service, port);
  }

  private static JsonNode get(HttpClient http, String url, String authorization) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url));
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    return Json.mapper()
        .readTree(http.send(request.build(), HttpResponse.BodyHandlers.ofString()).body());
  }
}
