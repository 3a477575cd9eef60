package dev.kft.dataprep.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.kft.job.Segmentation;
import dev.kft.json.Json;
import java.io.BufferedReader;
import java.io.OutputStream;
import java.io.StringReader;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("unit")
class AugmenterTest {

  private static Synonyms synonyms() throws Exception {
    return Synonyms.read(
        new BufferedReader(new StringReader("# hotel words\n房间 客房\n干净 整洁 清洁\ngood fine nice\n")),
        "'syn.txt'");
  }

  private static List<Example> train() {
    return List.of(
        new Example(1, "房间很干净服务也好", null, 1, false),
        new Example(2, "the room was good and the staff were nice", null, 1, false),
        new Example(3, "房间太小了", null, 0, false));
  }

  @Test
  void chineseIsSegmentedByDictionaryWordsAndCharacters() throws Exception {
    Segmenter segmenter = new Segmenter(Segmentation.AUTO, synonyms());
    assertEquals(List.of("房间", "很", "干净", "wifi", "好"), segmenter.tokens("房间很干净 wifi好"));
    assertEquals(List.of("the", "room"), segmenter.tokens("the  room"));
    assertEquals("房间很干净wifi好", segmenter.join(List.of("房间", "很", "干净", "wifi", "好"), true));
    assertEquals("the room", segmenter.join(List.of("the", "room"), false));
  }

  @Test
  void synonymReplacementUsesTheDictionary() throws Exception {
    Augmenter augmenter =
        new Augmenter(List.of("synonym_replacement"), 0.5, Segmentation.AUTO, synonyms(), null);
    String out = augmenter.apply("synonym_replacement", "房间很干净", new Random(1));
    assertTrue(List.of("客房很干净", "房间很整洁", "房间很清洁", "客房很整洁", "客房很清洁").contains(out), out);
  }

  @Test
  void augmentationIsSeededAndMarksItsRows() throws Exception {
    Augmenter augmenter =
        new Augmenter(
            List.of("synonym_replacement", "random_insertion", "random_swap", "random_deletion"),
            0.3,
            Segmentation.AUTO,
            synonyms(),
            null);
    List<Example> made = augmenter.augment(train(), 2.0, 9);
    assertEquals(made, augmenter.augment(train(), 2.0, 9));
    assertNotEquals(made, augmenter.augment(train(), 2.0, 10));
    assertTrue(made.size() >= 4 && made.size() <= 6, made.toString());
    assertTrue(made.stream().allMatch(Example::augmented));
    for (Example e : made) {
      Example source = train().get((int) e.row() - 1);
      assertEquals(source.label(), e.label());
      assertNotEquals(source.text(), e.text());
    }
  }

  @Test
  void backTranslationGoesThroughTheServiceAndBack() throws Exception {
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    List<String> directions = new ArrayList<>();
    server.createContext(
        "/translate",
        exchange -> {
          JsonNode request = Json.mapper().readTree(exchange.getRequestBody());
          directions.add(request.get("source").asText() + ">" + request.get("target").asText());
          List<String> out = new ArrayList<>();
          request
              .get("texts")
              .forEach(
                  t ->
                      out.add(
                          request.get("target").asText().equals("en")
                              ? "EN(" + t.asText() + ")"
                              : t.asText().replace("EN(", "").replace(")", "") + "！"));
          byte[] body = Json.mapper().writeValueAsBytes(Map.of("translations", out));
          exchange.sendResponseHeaders(200, body.length);
          try (OutputStream os = exchange.getResponseBody()) {
            os.write(body);
          }
        });
    server.start();
    try {
      BackTranslator translator =
          new BackTranslator(
              URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/translate"),
              "zh",
              "en",
              Duration.ofSeconds(5),
              new OutboundPolicy(List.of("127.0.0.1")));
      Augmenter augmenter =
          new Augmenter(List.of("back_translation"), 0.1, Segmentation.AUTO, null, translator);
      List<Example> made = augmenter.augment(train(), 1.0, 3);
      assertEquals(3, made.size());
      assertTrue(made.stream().allMatch(e -> e.text().endsWith("！")), made.toString());
      assertEquals(List.of("zh>en", "en>zh"), directions);
    } finally {
      server.stop(0);
    }
  }
}
