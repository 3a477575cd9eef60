package dev.kft.dataprep.domain;

import dev.kft.text.Encoder.Encoded;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * Orders a split so that each batch holds examples of similar length, as Hugging Face's {@code
 * group_by_length} does for training: the shuffled split is cut into mega-batches of 50 batches and
 * each is sorted by token count, longest first. Batches padded to their longest row then carry
 * little padding, while the mega-batches keep the shuffle's randomness at large. Evaluation splits
 * (fewer rows than one mega-batch of their larger batches, as a rule) come out sorted whole, which
 * changes no metric.
 */
public final class LengthGrouping {

  /** Batches per mega-batch, Hugging Face's {@code megabatch_mult}. */
  static final int MEGA_BATCH = 50;

  private LengthGrouping() {}

  /** Indices of {@code encoded} in grouped order. */
  public static List<Integer> order(List<Encoded> encoded, int batchSize) {
    int mega = MEGA_BATCH * batchSize;
    List<Integer> order = new ArrayList<>(encoded.size());
    for (int from = 0; from < encoded.size(); from += mega) {
      IntStream.range(from, Math.min(encoded.size(), from + mega))
          .boxed()
          .sorted(Comparator.comparingInt((Integer i) -> encoded.get(i).ids().length).reversed())
          .forEach(order::add);
    }
    return order;
  }

  /** {@code items} (examples or their encodings) in {@code order}. */
  public static <T> List<T> arrange(List<T> items, List<Integer> order) {
    return order.stream().map(items::get).collect(Collectors.toCollection(ArrayList::new));
  }
}
