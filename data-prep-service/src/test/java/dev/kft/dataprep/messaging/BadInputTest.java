package dev.kft.dataprep.messaging;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.kft.events.DatasetPrepared;
import dev.kft.events.Event;
import dev.kft.events.JobFailed;
import dev.kft.testing.KafkaBrokerResource;
import dev.kft.testing.KafkaTestClient;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each kind of bad data ends its job in one JobFailed that says what is wrong; the service lives.
 */
@QuarkusTest
@WithTestResource(KafkaBrokerResource.class)
@Tag("unit")
class BadInputTest {

  private static final Path DATA = Path.of("target", "test-data", "bad");
  private static HttpServer http;

  private final KafkaTestClient kafka = KafkaTestClient.ofTestBroker();

  @BeforeAll
  static void writeFilesAndServeThem() throws IOException {
    Files.createDirectories(DATA);
    write("empty.csv", "");
    write("header-only.csv", "label,review\n");
    write("wrong-column.csv", "label,text\n1,好\n0,差\n");
    write("one-class.csv", "label,review\n" + "1,很好\n".repeat(3) + "1,不错\n1,满意\n");
    write("unbalanced.csv", "label,review\n1,\"不错\n0,很差\n");
    StringBuilder many = new StringBuilder("label,review\n");
    for (int i = 0; i < 40; i++) {
      many.append(i % 2).append(",评论").append(i).append('\n');
    }
    write("forty.csv", many.toString());
    write("ten.csv", many.substring(0, many.indexOf("评论10")));
    Files.write(
        DATA.resolve("latin1.csv"),
        new byte[] {
          'l',
          'a',
          'b',
          'e',
          'l',
          ',',
          'r',
          'e',
          'v',
          'i',
          'e',
          'w',
          '\n',
          '1',
          ',',
          (byte) 0xE9,
          't',
          'e',
          '\n'
        });
    Files.writeString(
        DATA.resolve("huge-row.csv"),
        "label,review\n1," + "好".repeat(10 * 1024 * 1024 / 3) + "\n0,差\n");
    http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    http.createContext(
        "/",
        exchange -> {
          Path file = DATA.resolve(exchange.getRequestURI().getPath().substring(1));
          byte[] body = Files.exists(file) ? Files.readAllBytes(file) : new byte[0];
          exchange.sendResponseHeaders(
              Files.exists(file) ? 200 : 404, body.length == 0 ? -1 : body.length);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
          }
        });
    http.start();
  }

  @AfterAll
  static void stopServer() {
    http.stop(0);
  }

  private static void write(String name, String content) throws IOException {
    Files.writeString(DATA.resolve(name), content, StandardCharsets.UTF_8);
  }

  private static String url(String name) {
    return "http://127.0.0.1:" + http.getAddress().getPort() + "/" + name;
  }

  static Stream<Arguments> badInputs() {
    return Stream.of(
        Arguments.of("bad/empty.csv", "", "is empty"),
        Arguments.of("bad/header-only.csv", "", "holds no examples"),
        Arguments.of(
            "bad/wrong-column.csv",
            "",
            "has no column 'review' (dataset.text_column); its columns are [label, text]"),
        Arguments.of("bad/one-class.csv", "", "one class only"),
        Arguments.of(
            "bad/forty.csv",
            "LABELS",
            "has label '0', which is not one of the declared labels [neg, pos]"),
        Arguments.of("bad/latin1.csv", "", "line 2: bytes that are not valid text"),
        Arguments.of(
            "bad/unbalanced.csv",
            "",
            "unbalanced quote: the quoted field starting on line 2 never closes"),
        Arguments.of("bad/huge-row.csv", "", "is longer than the limit of 1048576 characters"),
        Arguments.of("/etc/hostname", "", "outside the allowed roots"),
        Arguments.of("bad/missing.csv", "", "'bad/missing.csv' does not exist"),
        Arguments.of("HTTP:missing.csv", "", "answered HTTP 404"),
        Arguments.of("bad/ten.csv", "", "fewer than one batch"),
        Arguments.of(
            "bad/forty.csv",
            ", split: {train: 0.95, validation: 0.04, test: 0.01}",
            "the test split is empty"));
  }

  @ParameterizedTest(name = "{0}{1} -> {2}")
  @MethodSource("badInputs")
  void badDataFailsTheJobWithAClearReason(String uri, String extra, String reason) {
    String location = uri.startsWith("HTTP:") ? url(uri.substring(5)) : uri;
    String yaml = Jobs.job(location, extra.equals("LABELS") ? "" : extra, "");
    if (extra.equals("LABELS")) {
      yaml = yaml.replace("max_length: 128}", "max_length: 128, labels: [neg, pos]}");
    }
    Event outcome = Jobs.submitAndAwait(kafka, yaml);
    JobFailed failed = assertInstanceOf(JobFailed.class, outcome, outcome.toString());
    assertTrue(failed.reason().contains(reason), failed.reason());
    given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
  }

  @Test
  void dataOverHttpIsPrepared() {
    Event outcome =
        Jobs.submitAndAwait(
            kafka,
            Jobs.job(url("forty.csv"), "", "")
                .replace("per_device_train_batch_size: 32", "per_device_train_batch_size: 4"));
    DatasetPrepared prepared = assertInstanceOf(DatasetPrepared.class, outcome);
    assertTrue(prepared.rowsRead() == 40);
  }
}
