package dev.kft.dataprep.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("unit")
class CleaningAndSplittingTest {

  @Test
  void cleaningStepsRunInOrder() {
    Cleaner cleaner =
        new Cleaner(List.of("nfkc", "strip_html", "strip_urls", "clean_text", "lowercase"));
    assertEquals(
        "房间很好! 值得 推荐 abc", cleaner.clean("<p>房间很好！</p>值得&nbsp;推荐😀 ＡＢＣ https://example.com/x?y=1"));
    assertEquals("ABC 1", new Cleaner(List.of("fullwidth_to_halfwidth")).clean("ＡＢＣ　１"));
    assertEquals("a b", new Cleaner(List.of("collapse_whitespace")).clean("  a \n\t b "));
  }

  @Test
  void droppedRowsAreCountedByReason() {
    RowCollector rows =
        new RowCollector(
            new Cleaner(
                List.of("strip_html", "collapse_whitespace", "drop_empty", "drop_duplicates")),
            100);
    rows.accept(new SourceRow(1, "好", null, "1"));
    rows.accept(new SourceRow(2, " 好 ", null, "1"));
    rows.accept(new SourceRow(3, "<br>", null, "0"));
    rows.accept(new SourceRow(4, "差", null, null));
    rows.accept(new SourceRow(5, "差", null, "0"));
    assertEquals(5, rows.read());
    assertEquals(2, rows.kept().size());
    assertEquals(Map.of("duplicate", 1L, "empty_text", 1L, "missing_label", 1L), rows.dropped());
  }

  @Test
  void labelsFoundAreOrderedIndependentlyOfRows() {
    assertEquals(List.of("2", "10", "100"), LabelIndex.found(List.of("100", "2", "10")).names());
    assertEquals(
        List.of("neg", "pos", "负面"), LabelIndex.found(List.of("负面", "pos", "neg", "pos")).names());
  }

  private static List<Example> examples(int perClassA, int perClassB) {
    List<Example> list = new ArrayList<>();
    for (int i = 0; i < perClassA + perClassB; i++) {
      list.add(new Example(i + 1, "t" + i, null, i < perClassA ? 0 : 1, false));
    }
    return list;
  }

  @Test
  void splitsAreStratifiedSeededAndDisjoint() {
    Splitter.Parts parts = Splitter.split(examples(703, 297), 2, 0.1, 0.2, 5);
    assertEquals(70, parts.validation().stream().filter(e -> e.label() == 0).count());
    assertEquals(30, parts.validation().stream().filter(e -> e.label() == 1).count());
    assertEquals(141, parts.test().stream().filter(e -> e.label() == 0).count());
    assertEquals(59, parts.test().stream().filter(e -> e.label() == 1).count());
    assertEquals(1000, parts.train().size() + parts.validation().size() + parts.test().size());
    assertTrue(parts.train().stream().noneMatch(parts.test()::contains));

    Splitter.Parts same = Splitter.split(examples(703, 297), 2, 0.1, 0.2, 5);
    assertEquals(parts, same);
    Splitter.Parts other = Splitter.split(examples(703, 297), 2, 0.1, 0.2, 6);
    assertNotEquals(parts.test(), other.test());
  }
}
