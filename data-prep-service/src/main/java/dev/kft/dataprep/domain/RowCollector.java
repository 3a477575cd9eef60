package dev.kft.dataprep.domain;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Receives source rows, cleans them and keeps those worth training on, counting every dropped row
 * by reason: {@code missing_label}, {@code empty_text}, {@code duplicate} (same cleaned text and
 * pair as an earlier row of the job). Holds at most {@code maxRows} kept rows.
 */
final class RowCollector implements Consumer<SourceRow> {

  /** A kept row, with the file it came from. */
  record Kept(int file, long row, String text, String pair, String label) {}

  private final Cleaner cleaner;
  private final long maxRows;
  private final List<Kept> kept = new ArrayList<>();
  private final Set<String> seen = new HashSet<>();
  private final Map<String, Long> dropped = new LinkedHashMap<>();
  private long read;
  private int file;

  RowCollector(Cleaner cleaner, long maxRows) {
    this.cleaner = cleaner;
    this.maxRows = maxRows;
  }

  /** Rows of the following calls come from file number {@code index}. */
  void startFile(int index) {
    file = index;
  }

  @Override
  public void accept(SourceRow row) {
    read++;
    if (row.label() == null) {
      drop("missing_label");
      return;
    }
    String text = cleaner.clean(row.text());
    String pair = row.pair() == null ? null : cleaner.clean(row.pair());
    if (cleaner.dropsEmpty() && (text.isBlank() || (pair != null && pair.isBlank()))) {
      drop("empty_text");
      return;
    }
    if (cleaner.dropsDuplicates() && !seen.add(pair == null ? text : text + '\u0000' + pair)) {
      drop("duplicate");
      return;
    }
    if (kept.size() >= maxRows) {
      throw new DataProblem(
          "the dataset has more than "
              + maxRows
              + " rows, the most one job "
              + "may prepare (kft.data-prep.max-rows)");
    }
    kept.add(new Kept(file, row.row(), text, pair, row.label()));
  }

  private void drop(String reason) {
    dropped.merge(reason, 1L, Long::sum);
  }

  long read() {
    return read;
  }

  List<Kept> kept() {
    return kept;
  }

  Map<String, Long> dropped() {
    return dropped;
  }
}
