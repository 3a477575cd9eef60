package dev.kft.dataprep.domain;

import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads delimited text as RFC 4180 defines it, one record at a time: fields may be quoted, quotes
 * inside them doubled, and quoted fields may span lines; a leading byte order mark is skipped.
 * Records longer than a limit, unbalanced quotes and undecodable bytes are {@link DataProblem}s
 * naming the line.
 */
final class CsvParser {

  static final char REPLACEMENT = '\uFFFD';
  private static final int EOF = -1;

  private final Reader in;
  private final char delimiter;
  private final int maxRecordChars;
  private long line = 1;
  private long recordLine;
  private int pending = -2;
  private boolean first = true;

  CsvParser(Reader in, char delimiter, int maxRecordChars) {
    this.in = in;
    this.delimiter = delimiter;
    this.maxRecordChars = maxRecordChars;
  }

  /** The line on which the last record returned began. */
  long recordLine() {
    return recordLine;
  }

  /** The next record's fields, or null at the end; blank lines are skipped. */
  List<String> next() throws IOException {
    while (true) {
      int c = read();
      if (c == EOF) {
        return null;
      }
      if (c == '\n') {
        line++;
        continue;
      }
      if (c == '\r') {
        continue;
      }
      unread(c);
      return record();
    }
  }

  private List<String> record() throws IOException {
    recordLine = line;
    List<String> fields = new ArrayList<>();
    StringBuilder field = new StringBuilder();
    int size = 0;
    boolean quoted = false;
    boolean fieldStart = true;
    while (true) {
      int c = read();
      if (++size > maxRecordChars) {
        throw new DataProblem(
            "the row starting at line "
                + recordLine
                + " is longer than the "
                + "limit of "
                + maxRecordChars
                + " characters");
      }
      if (quoted) {
        if (c == EOF) {
          throw new DataProblem(
              "unbalanced quote: the quoted field starting on line "
                  + recordLine
                  + " never closes");
        }
        if (c == '"') {
          int next = read();
          if (next == '"') {
            field.append('"');
          } else {
            quoted = false;
            unread(next);
          }
        } else {
          if (c == '\n') {
            line++;
          }
          field.append((char) c);
        }
        continue;
      }
      if (c == '"' && fieldStart) {
        quoted = true;
        fieldStart = false;
      } else if (c == delimiter) {
        fields.add(field.toString());
        field.setLength(0);
        fieldStart = true;
      } else if (c == '\n' || c == '\r' || c == EOF) {
        if (c == '\r') {
          int next = read();
          if (next != '\n') {
            unread(next);
          }
        }
        if (c != EOF) {
          line++;
        }
        fields.add(field.toString());
        return fields;
      } else {
        field.append((char) c);
        fieldStart = false;
      }
    }
  }

  private int read() throws IOException {
    if (pending != -2) {
      int c = pending;
      pending = -2;
      return c;
    }
    int c = in.read();
    if (c == REPLACEMENT) {
      throw undecodable(line);
    }
    if (first) {
      first = false;
      if (c == '\uFEFF') {
        return read();
      }
    }
    return c;
  }

  static DataProblem undecodable(long line) {
    return new DataProblem(
        "line "
            + line
            + ": bytes that are not valid text in the file's "
            + "encoding (set dataset.encoding if it is not UTF-8)");
  }

  private void unread(int c) {
    pending = c;
  }
}
