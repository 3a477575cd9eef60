package dev.kft.dataprep.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("unit")
class DatasetReaderTest {

  private static List<SourceRow> read(String format, String content, String pairColumn) {
    return read(
        format, content.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8, pairColumn);
  }

  private static List<SourceRow> read(
      String format, byte[] content, Charset charset, String pairColumn) {
    List<SourceRow> rows = new ArrayList<>();
    try {
      DatasetReader.read(
          new ByteArrayInputStream(content),
          "'f'",
          new DatasetReader.Layout(format, ',', charset, "text", "label", pairColumn, 1000),
          rows::add);
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
    return rows;
  }

  @Test
  void csvFollowsRfc4180() {
    String csv =
        "\uFEFFlabel,text\r\n"
            + "1,\"quoted, with comma\"\r\n"
            + "0,\"spans\nlines\"\n"
            + "\n"
            + "1,\"say \"\"hi\"\"\"\n"
            + ",no label\n"
            + "0,last without newline";
    List<SourceRow> rows = read("csv", csv, null);
    assertEquals(
        List.of(
            new SourceRow(1, "quoted, with comma", null, "1"),
            new SourceRow(2, "spans\nlines", null, "0"),
            new SourceRow(3, "say \"hi\"", null, "1"),
            new SourceRow(4, "no label", null, null),
            new SourceRow(5, "last without newline", null, "0")),
        rows);
  }

  @Test
  void tsvAndPairs() {
    List<SourceRow> rows = read("tsv", "text\tpair\tlabel\n前提\t假设\tentailment\n", "pair");
    assertEquals(List.of(new SourceRow(1, "前提", "假设", "entailment")), rows);
  }

  @Test
  void jsonlWithNumericLabels() {
    List<SourceRow> rows =
        read(
            "jsonl",
            "{\"text\": \"好\", \"label\": 1}\n\n{\"text\": \"差\", \"label\": 0, \"x\": [1]}\n",
            null);
    assertEquals(List.of(new SourceRow(1, "好", null, "1"), new SourceRow(2, "差", null, "0")), rows);
  }

  @Test
  void problemsNameTheLine() {
    assertEquals(
        "'f' line 3: 3 fields, the header has 2",
        assertThrows(DataProblem.class, () -> read("csv", "label,text\n1,a\n0,b,c\n", null))
            .getMessage());
    assertTrue(
        assertThrows(
                DataProblem.class,
                () -> read("jsonl", "{\"text\":\"a\",\"label\":1}\n{\"text\":\n", null))
            .getMessage()
            .startsWith("'f' line 2 is not JSON: "));
    byte[] head = "label,text\n1,a\n0,".getBytes(StandardCharsets.UTF_8);
    byte[] bad = java.util.Arrays.copyOf(head, head.length + 1);
    bad[head.length] = (byte) 0xFF;
    assertEquals(
        "line 3: bytes that are not valid text in the file's encoding (set dataset.encoding if"
            + " it is not UTF-8)",
        assertThrows(DataProblem.class, () -> read("csv", bad, StandardCharsets.UTF_8, null))
            .getMessage());
  }

  @Test
  void otherEncodingsAreReadWhenNamed() {
    byte[] gbk = "label,text\n1,很好\n".getBytes(Charset.forName("GBK"));
    assertEquals("很好", read("csv", gbk, Charset.forName("GBK"), null).get(0).text());
  }

  @Test
  void formatComesFromTheExtension() {
    assertEquals("csv", DatasetReader.formatOf("data/a.CSV"));
    assertEquals("tsv", DatasetReader.formatOf("a.tsv"));
    assertEquals("jsonl", DatasetReader.formatOf("https://x/a.jsonl?download=1"));
    assertEquals(null, DatasetReader.formatOf("a.parquet"));
  }
}
