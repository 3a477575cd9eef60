package dev.kft.dataprep.domain;

import dev.kft.events.DatasetPrepared.TokenLengthStats;
import dev.kft.text.Encoder.Encoded;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Summaries of one split for the dataset report. */
final class SplitStats {

  private SplitStats() {}

  static TokenLengthStats tokens(List<Encoded> encoded, int maxLength) {
    if (encoded.isEmpty()) {
      return new TokenLengthStats(0, 0, 0, 0, 0, 0, 0, 0);
    }
    int[] lengths = encoded.stream().mapToInt(Encoded::fullLength).sorted().toArray();
    long truncated = Arrays.stream(lengths).filter(l -> l > maxLength).count();
    long tokens = 0;
    long unknown = 0;
    for (Encoded e : encoded) {
      tokens += e.ids().length;
      unknown += e.unknown();
    }
    return new TokenLengthStats(
        lengths[0],
        lengths[lengths.length - 1],
        Arrays.stream(lengths).average().orElse(0),
        percentile(lengths, 50),
        percentile(lengths, 95),
        percentile(lengths, 99),
        truncated,
        tokens == 0 ? 0 : (double) unknown / tokens);
  }

  /** Nearest-rank percentile of sorted values. */
  static int percentile(int[] sorted, int p) {
    int rank = (int) Math.ceil(p / 100.0 * sorted.length);
    return sorted[Math.max(0, rank - 1)];
  }

  static Map<String, Long> labelCounts(List<Example> examples, List<String> names) {
    Map<String, Long> counts = new LinkedHashMap<>();
    names.forEach(n -> counts.put(n, 0L));
    examples.forEach(e -> counts.merge(names.get(e.label()), 1L, Long::sum));
    return counts;
  }
}
