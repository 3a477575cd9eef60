package dev.kft.dataprep.domain;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.kft.json.Json;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * Streams the examples of one CSV, TSV or JSONL file, mapping the job's column names; a file
 * without examples or without the named columns is a {@link DataProblem}.
 */
public final class DatasetReader {

  /**
   * How to read a file.
   *
   * @param format {@code csv}, {@code tsv} or {@code jsonl}
   * @param pairColumn null when the task has one text
   * @param maxRowChars longest row accepted
   */
  public record Layout(
      String format,
      char delimiter,
      Charset charset,
      String textColumn,
      String labelColumn,
      String pairColumn,
      int maxRowChars) {}

  private DatasetReader() {}

  /** The format a file name implies, or null when its extension says nothing. */
  public static String formatOf(String name) {
    String lower = name.toLowerCase(Locale.ROOT).replaceAll("\\?.*$", "");
    if (lower.endsWith(".tsv") || lower.endsWith(".tab")) {
      return "tsv";
    }
    if (lower.endsWith(".jsonl") || lower.endsWith(".ndjson")) {
      return "jsonl";
    }
    return lower.endsWith(".csv") ? "csv" : null;
  }

  /**
   * Reads every example of {@code in} into {@code sink}; returns how many were read.
   *
   * @param name how to name the file in problems
   */
  public static long read(InputStream in, String name, Layout layout, Consumer<SourceRow> sink)
      throws IOException {
    // Undecodable bytes become U+FFFD, which the parsers report with the line they are on.
    CharsetDecoder decoder =
        layout
            .charset()
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPLACE)
            .onUnmappableCharacter(CodingErrorAction.REPLACE);
    BufferedReader reader = new BufferedReader(new InputStreamReader(in, decoder), 1 << 16);
    long rows =
        layout.format().equals("jsonl")
            ? readJsonl(reader, name, layout, sink)
            : readDelimited(reader, name, layout, sink);
    if (rows == 0) {
      throw new DataProblem(name + " holds no examples");
    }
    return rows;
  }

  private static long readDelimited(
      BufferedReader reader, String name, Layout layout, Consumer<SourceRow> sink)
      throws IOException {
    char delimiter = layout.format().equals("tsv") ? '\t' : layout.delimiter();
    CsvParser parser = new CsvParser(reader, delimiter, layout.maxRowChars());
    List<String> header = parser.next();
    if (header == null) {
      throw new DataProblem(name + " is empty");
    }
    int text = column(header, layout.textColumn(), "text_column", name);
    int label = column(header, layout.labelColumn(), "label_column", name);
    int pair =
        layout.pairColumn() == null
            ? -1
            : column(header, layout.pairColumn(), "text_pair_column", name);
    long rows = 0;
    for (List<String> fields = parser.next(); fields != null; fields = parser.next()) {
      if (fields.size() != header.size()) {
        throw new DataProblem(
            name
                + " line "
                + parser.recordLine()
                + ": "
                + fields.size()
                + " fields, the header has "
                + header.size());
      }
      rows++;
      String labelValue = fields.get(label).strip();
      sink.accept(
          new SourceRow(
              rows,
              fields.get(text),
              pair < 0 ? null : fields.get(pair),
              labelValue.isEmpty() ? null : labelValue));
    }
    return rows;
  }

  private static long readJsonl(
      BufferedReader reader, String name, Layout layout, Consumer<SourceRow> sink)
      throws IOException {
    long rows = 0;
    long lineNumber = 0;
    for (String line = reader.readLine(); line != null; line = reader.readLine()) {
      lineNumber++;
      if (line.length() > layout.maxRowChars()) {
        throw new DataProblem(
            name
                + " line "
                + lineNumber
                + " is longer than the limit of "
                + layout.maxRowChars()
                + " characters");
      }
      if (line.indexOf(CsvParser.REPLACEMENT) >= 0) {
        throw CsvParser.undecodable(lineNumber);
      }
      if (line.isBlank()) {
        continue;
      }
      JsonNode node;
      try {
        node = Json.mapper().readTree(line);
      } catch (JsonProcessingException e) {
        throw new DataProblem(
            name + " line " + lineNumber + " is not JSON: " + e.getOriginalMessage());
      }
      if (!node.isObject()) {
        throw new DataProblem(name + " line " + lineNumber + " is not a JSON object");
      }
      rows++;
      String text = field(node, layout.textColumn(), "text_column", name, lineNumber);
      String pair =
          layout.pairColumn() == null
              ? null
              : field(node, layout.pairColumn(), "text_pair_column", name, lineNumber);
      JsonNode label = node.get(layout.labelColumn());
      String labelValue = label == null || label.isNull() ? null : label.asText().strip();
      sink.accept(
          new SourceRow(
              rows, text, pair, labelValue == null || labelValue.isEmpty() ? null : labelValue));
    }
    return rows;
  }

  private static int column(List<String> header, String wanted, String key, String name) {
    int index = header.indexOf(wanted);
    if (index < 0) {
      List<String> found = new ArrayList<>(header);
      throw new DataProblem(
          name + " has no column '" + wanted + "' (dataset." + key + "); its columns are " + found);
    }
    return index;
  }

  private static String field(JsonNode node, String wanted, String key, String name, long line) {
    JsonNode value = node.get(wanted);
    if (value == null) {
      List<String> found = new ArrayList<>();
      node.fieldNames().forEachRemaining(found::add);
      throw new DataProblem(
          name
              + " line "
              + line
              + " has no field '"
              + wanted
              + "' (dataset."
              + key
              + "); its fields are "
              + found);
    }
    return value.isNull() ? "" : value.asText();
  }
}
