package dev.kft.dataprep.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.kft.io.ConfinedPaths;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A job cannot make data-prep fetch from its own machine, its networks or the cloud's metadata
 * service: loopback is refused unless the configuration names the host, a redirect is checked as
 * the first URL was, and what such a server answers never reaches the job's error.
 */
@Tag("unit")
class OutboundFetchTest {

  private HttpServer server;
  private final List<String> asked = new CopyOnWriteArrayList<>();

  @BeforeEach
  void serve() throws Exception {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/",
        exchange -> {
          asked.add(exchange.getRequestURI().getPath());
          if (exchange.getRequestURI().getPath().equals("/moved")) {
            exchange.getResponseHeaders().add("Location", url("localhost", "/secret"));
            exchange.sendResponseHeaders(302, -1);
            exchange.close();
            return;
          }
          byte[] body =
              exchange.getRequestURI().getPath().equals("/translate")
                  ? "internal-credentials: hunter2".getBytes(StandardCharsets.UTF_8)
                  : "label,text\n1,好\n0,差\n".getBytes(StandardCharsets.UTF_8);
          exchange.sendResponseHeaders(200, body.length);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
          }
        });
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  @Test
  void loopbackIsRefusedWithoutTheAllowListAndFetchedWithIt() throws Exception {
    String url = url("127.0.0.1", "/d.csv");
    DataProblem refused =
        assertThrows(DataProblem.class, () -> sources(OutboundPolicy.PUBLIC_ONLY).open(url));
    assertEquals(
        "'"
            + url
            + "' is refused: 127.0.0.1 is 127.0.0.1, a loopback address; only the operator can"
            + " allow it (kft.data-prep.allowed-hosts)",
        refused.getMessage());
    assertEquals(List.of(), asked, "the server was never asked");
    try (InputStream in = sources(new OutboundPolicy(List.of("127.0.0.1"))).open(url)) {
      assertTrue(new String(in.readAllBytes(), StandardCharsets.UTF_8).startsWith("label,text"));
    }
  }

  @Test
  void theCloudsMetadataServiceIsRefused() {
    DataProblem refused =
        assertThrows(
            DataProblem.class,
            () ->
                sources(OutboundPolicy.PUBLIC_ONLY)
                    .open("http://169.254.169.254/latest/meta-data/iam/security-credentials/"));
    assertTrue(refused.getMessage().contains("a link-local (cloud metadata) address"));
  }

  @Test
  void aRedirectToARefusedAddressIsNotFollowed() {
    DataSources sources = sources(new OutboundPolicy(List.of("127.0.0.1")));
    DataProblem refused =
        assertThrows(DataProblem.class, () -> sources.open(url("127.0.0.1", "/moved")));
    assertTrue(
        refused.getMessage().contains("localhost is 127.0.0.1, a loopback address"),
        refused.getMessage());
    assertEquals(List.of("/moved"), asked, "the redirect's target was never asked");
  }

  @Test
  void aBackTranslationEndpointOnLoopbackIsRefusedAndAnAnswerIsNeverEchoed() {
    URI endpoint = URI.create(url("127.0.0.1", "/translate"));
    BackTranslator refused = translator(endpoint, OutboundPolicy.PUBLIC_ONLY);
    assertTrue(
        assertThrows(DataProblem.class, () -> refused.roundTrip(List.of("好")))
            .getMessage()
            .contains("a loopback address"));
    assertEquals(List.of(), asked);
    BackTranslator allowed = translator(endpoint, new OutboundPolicy(List.of("127.0.0.1")));
    DataProblem e = assertThrows(DataProblem.class, () -> allowed.roundTrip(List.of("好")));
    assertFalse(e.getMessage().contains("hunter2"), e.getMessage());
  }

  private static BackTranslator translator(URI endpoint, OutboundPolicy policy) {
    return new BackTranslator(
        endpoint, "zh", "en", Duration.ofSeconds(5), Optional.empty(), policy);
  }

  @Test
  void everyKindOfNonPublicAddressIsKnownAndPublicOnesPass() throws Exception {
    Map<String, String> reserved =
        Map.ofEntries(
            Map.entry("127.0.0.2", "loopback"),
            Map.entry("::1", "loopback"),
            Map.entry("::ffff:127.0.0.1", "loopback"),
            Map.entry("169.254.169.254", "link-local (cloud metadata)"),
            Map.entry("fe80::1", "link-local (cloud metadata)"),
            Map.entry("10.1.2.3", "private"),
            Map.entry("172.16.0.1", "private"),
            Map.entry("192.168.1.1", "private"),
            Map.entry("0.0.0.0", "unspecified"),
            Map.entry("100.64.0.1", "carrier-grade NAT"),
            Map.entry("fd00::1", "unique local"),
            Map.entry("64:ff9b::a9fe:a9fe", "link-local (cloud metadata)"),
            Map.entry("224.0.0.1", "multicast"));
    reserved.forEach(
        (address, kind) -> {
          try {
            assertEquals(
                Optional.of(kind),
                OutboundPolicy.reserved(InetAddress.getByName(address)),
                address);
          } catch (Exception e) {
            throw new AssertionError(address, e);
          }
        });
    for (String address : List.of("8.8.8.8", "1.1.1.1", "2001:4860:4860::8888", "100.128.0.1")) {
      assertEquals(
          Optional.empty(), OutboundPolicy.reserved(InetAddress.getByName(address)), address);
    }
  }

  private DataSources sources(OutboundPolicy policy) {
    try {
      return new DataSources(
          new ConfinedPaths(List.of(Files.createTempDirectory("kft-outbound"))),
          1 << 20,
          Duration.ofSeconds(5),
          policy);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private String url(String host, String path) {
    return "http://" + host + ":" + server.getAddress().getPort() + path;
  }
}
