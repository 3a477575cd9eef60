package dev.kft.dataprep.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.kft.events.DatasetPrepared.AugmentationReport;
import dev.kft.events.DatasetPrepared.OperationCount;
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
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("unit")
class AugmenterTest {

  private static Synonyms synonyms() throws Exception {
    return Synonyms.read(
        new BufferedReader(
            new StringReader("# hotel words\n房间 客房\n干净 整洁 清洁\n早餐品种 早点种类\ngood fine nice\n")),
        "syn.txt");
  }

  private static List<Example> train() {
    return List.of(
        new Example(1, "房间很干净，服务也很好", null, 1, false),
        new Example(2, "the room was good and the staff were nice", null, 1, false),
        new Example(3, "房间太小了，早餐品种也少", null, 0, false));
  }

  @Test
  void chineseIsCutIntoWordsAndTheDictionarysCompoundsStayWhole() throws Exception {
    Segmenter segmenter = new Segmenter(Segmentation.AUTO, synonyms());
    // HanLP's segmenter cuts 早餐品种 in two; the dictionary lists it as one word
    assertEquals(List.of("房间", "太小", "了", "，", "早餐品种", "也", "少"), segmenter.tokens("房间太小了，早餐品种也少"));
    assertEquals(
        List.of("房间", "太小", "了", "，", "早餐", "品种", "也", "少"),
        new Segmenter(Segmentation.WORD, null).tokens("房间太小了，早餐品种也少"));
    assertEquals(List.of("房间", "很", "干净", "wifi", "好"), segmenter.tokens("房间很干净 wifi好"));
    assertEquals(List.of("the", "room"), segmenter.tokens("the  room"));
    assertEquals("房间很干净wifi好", segmenter.join(List.of("房间", "很", "干净", "wifi", "好"), true));
    assertEquals("the room", segmenter.join(List.of("the", "room"), false));
  }

  @Test
  void charModeCutsCharactersAndKeepsDictionaryWords() throws Exception {
    Segmenter segmenter = new Segmenter(Segmentation.CHAR, synonyms());
    assertEquals(List.of("房间", "很", "干净", "wifi", "好"), segmenter.tokens("房间很干净 wifi好"));
    assertEquals(List.of("服", "务"), segmenter.tokens("服务"));
  }

  @Test
  void theShippedLexiconIsTheExtendedTongyiciCilin() {
    Synonyms cilin = Synonyms.shipped();
    assertEquals(AugmentationReport.SHIPPED_LEXICON, cilin.source());
    // Ef12A01= 清洁 干净 卫生 整洁 ... and Bn03A01= 房间 屋子 室 间 房 房室
    assertTrue(cilin.of("干净").containsAll(List.of("整洁", "清洁", "卫生")), cilin.of("干净").toString());
    assertTrue(cilin.of("房间").contains("屋子"));
    // Aa01B03# 良民 顺民: '#' groups are related words, not synonyms
    assertTrue(!cilin.of("良民").contains("顺民"), cilin.of("良民").toString());
  }

  @Test
  void synonymReplacementTakesWordsFromTheShippedLexicon() {
    Synonyms cilin = Synonyms.shipped();
    Augmenter augmenter =
        new Augmenter(List.of("synonym_replacement"), 0.5, Segmentation.AUTO, cilin, null);
    Segmenter words = new Segmenter(Segmentation.AUTO, cilin);
    List<String> before = words.tokens("房间很干净，服务也很好");
    StringBuilder regex = new StringBuilder();
    for (String w : before) {
      regex.append("(").append(java.util.regex.Pattern.quote(w));
      cilin.of(w).forEach(o -> regex.append('|').append(java.util.regex.Pattern.quote(o)));
      regex.append(")");
    }
    java.util.regex.Pattern shape = java.util.regex.Pattern.compile(regex.toString());
    int replaced = 0;
    for (int seed = 0; seed < 20; seed++) {
      Augmenter.Edited out =
          augmenter.apply("synonym_replacement", "房间很干净，服务也很好", new Random(seed));
      assertNotEquals("房间很干净，服务也很好", out.text());
      // the text must be the words in order, each either itself or one of its synonyms
      java.util.regex.Matcher m = shape.matcher(out.text());
      assertTrue(m.matches(), out.text() + " is not " + before + " with synonyms replaced");
      for (int i = 0; i < before.size(); i++) {
        replaced += m.group(i + 1).equals(before.get(i)) ? 0 : 1;
      }
    }
    assertTrue(replaced >= 20, "at least one word replaced per text, got " + replaced);
  }

  @Test
  void randomSwapMovesWholeWords() {
    String text = "房间很干净，服务也很好，早餐品种丰富";
    Augmenter augmenter =
        new Augmenter(List.of("random_swap"), 0.3, Segmentation.AUTO, Synonyms.shipped(), null);
    List<String> words = new Segmenter(Segmentation.AUTO, Synonyms.shipped()).tokens(text);
    int moved = 0;
    for (int seed = 0; seed < 20; seed++) {
      Augmenter.Edited out = augmenter.apply("random_swap", text, new Random(seed));
      assertEquals(sorted(text), sorted(out.text()), "the same characters");
      for (String w : words) {
        assertTrue(out.text().contains(w), w + " stays whole in " + out.text());
      }
      moved += out.words();
    }
    assertTrue(moved > 20, "words moved: " + moved);
  }

  private static String sorted(String text) {
    return text.codePoints()
        .sorted()
        .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append)
        .toString();
  }

  @Test
  void augmentationIsSeededMarksItsRowsAndCountsPerOperation() throws Exception {
    Augmenter augmenter =
        new Augmenter(
            List.of("synonym_replacement", "random_insertion", "random_swap", "random_deletion"),
            0.3,
            Segmentation.AUTO,
            synonyms(),
            null);
    Augmenter.Augmentation first = augmenter.augment(train(), 4.0, 9);
    List<Example> made = first.made();
    assertEquals(made, augmenter.augment(train(), 4.0, 9).made());
    assertNotEquals(made, augmenter.augment(train(), 4.0, 10).made());
    assertTrue(made.stream().allMatch(Example::augmented));
    for (Example e : made) {
      Example source = train().get((int) e.row() - 1);
      assertEquals(source.label(), e.label());
      assertNotEquals(source.text(), e.text());
    }
    Map<String, OperationCount> counts = first.report().operations();
    assertEquals(4, counts.size());
    assertEquals(12, counts.values().stream().mapToLong(OperationCount::drawn).sum());
    assertEquals(made.size(), counts.values().stream().mapToLong(OperationCount::made).sum());
    counts.forEach(
        (op, c) -> {
          assertTrue(c.made() <= c.drawn(), op);
          assertTrue(c.wordsChanged() >= c.made(), op + " changed a text without a word");
        });
    assertEquals("syn.txt", first.report().lexicon());
    assertEquals("auto", first.report().segmentation());
  }

  @Test
  void backTranslationSpeaksLibreTranslate() throws Exception {
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    List<JsonNode> requests = new ArrayList<>();
    server.createContext(
        "/translate",
        exchange -> {
          JsonNode request = Json.mapper().readTree(exchange.getRequestBody());
          requests.add(request);
          boolean toEnglish = request.get("target").asText().equals("en");
          List<String> out = new ArrayList<>();
          request
              .get("q")
              .forEach(
                  t ->
                      out.add(
                          toEnglish
                              ? "EN(" + t.asText() + ")"
                              : t.asText().replace("EN(", "").replace(")", "") + "！"));
          byte[] body =
              Json.mapper()
                  .writeValueAsBytes(
                      request.path("api_key").asText().equals("k1")
                          ? Map.of("translatedText", out)
                          : Map.of("error", "Invalid API key"));
          exchange.sendResponseHeaders(
              request.path("api_key").asText().equals("k1") ? 200 : 403, body.length);
          try (OutputStream os = exchange.getResponseBody()) {
            os.write(body);
          }
        });
    server.start();
    try {
      URI root = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
      Augmenter augmenter =
          new Augmenter(
              List.of("back_translation"), 0.1, Segmentation.AUTO, null, translator(root, "k1"));
      Augmenter.Augmentation out = augmenter.augment(train(), 1.0, 3);
      assertEquals(3, out.made().size());
      assertTrue(out.made().stream().allMatch(e -> e.text().endsWith("！")), out.made().toString());
      assertEquals(
          List.of("zh>en", "en>zh"),
          requests.stream()
              .map(r -> r.get("source").asText() + ">" + r.get("target").asText())
              .toList());
      assertEquals("text", requests.get(0).get("format").asText());
      assertEquals(new OperationCount(3, 3, 3), out.report().operations().get("back_translation"));

      DataProblem refused =
          assertThrows(DataProblem.class, () -> translator(root, "wrong").roundTrip(List.of("好")));
      assertEquals(
          "LibreTranslate server "
              + root
              + "translate answered 403 (it wants an API key, or refused"
              + " kft.data-prep.translation-api-key)",
          refused.getMessage());
    } finally {
      server.stop(0);
    }
  }

  private static BackTranslator translator(URI server, String key) {
    return new BackTranslator(
        server,
        "zh",
        "en",
        Duration.ofSeconds(5),
        Optional.of(key),
        new OutboundPolicy(List.of("127.0.0.1")));
  }
}
