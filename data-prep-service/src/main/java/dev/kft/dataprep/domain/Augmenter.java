package dev.kft.dataprep.domain;

import dev.kft.events.DatasetPrepared.AugmentationReport;
import dev.kft.events.DatasetPrepared.OperationCount;
import dev.kft.job.Segmentation;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/**
 * Makes extra training examples with the EDA operations of Wei and Zou (2019): synonym replacement,
 * random insertion (of a synonym of a word of the text), random swap and random deletion, each
 * changing about {@code alpha} of a text's tokens. Seeded: the same examples, seed and settings
 * give the same new examples. Only ever given the train split.
 */
public final class Augmenter {

  private final List<String> operations;
  private final double alpha;
  private final Segmentation segmentation;
  private final Segmenter segmenter;
  private final Synonyms synonyms;
  private final BackTranslator translator;

  /**
   * @param operations operations to draw from
   * @param synonyms the dictionary, or null when no operation needs one
   * @param translator the translation service, or null when {@code back_translation} is not used
   */
  public Augmenter(
      List<String> operations,
      double alpha,
      Segmentation segmentation,
      Synonyms synonyms,
      BackTranslator translator) {
    this.operations = List.copyOf(operations);
    this.alpha = alpha;
    this.synonyms = synonyms;
    this.translator = translator;
    this.segmentation = segmentation;
    this.segmenter = new Segmenter(segmentation, synonyms);
  }

  /**
   * New examples made from a train split, and what each operation did.
   *
   * @param made the new examples
   * @param report the counts per operation, the lexicon and the segmentation
   */
  public record Augmentation(List<Example> made, AugmentationReport report) {}

  /** A text after one operation, and how many of its words the operation changed. */
  record Edited(String text, int words) {}

  /**
   * New examples from {@code train}: {@code round(ratio * size)} of them, each from a source
   * example drawn with the seed, by an operation drawn with the seed. An operation that leaves a
   * text unchanged (no synonym in it, a one-token text) yields no example.
   */
  public Augmentation augment(List<Example> train, double ratio, long seed) {
    List<Example> made = new ArrayList<>();
    Map<String, long[]> counts = new TreeMap<>();
    operations.forEach(op -> counts.put(op, new long[3]));
    if (!train.isEmpty() && !operations.isEmpty()) {
      Random random = new Random(seed);
      long wanted = Math.round(ratio * train.size());
      List<Example> toTranslate = new ArrayList<>();
      for (long i = 0; i < wanted; i++) {
        Example source = train.get(random.nextInt(train.size()));
        String op = operations.get(random.nextInt(operations.size()));
        counts.get(op)[0]++;
        if (op.equals("back_translation")) {
          toTranslate.add(source);
          continue;
        }
        Edited edited = apply(op, source.text(), random);
        addIfChanged(made, source, edited.text(), counts.get(op));
        counts.get(op)[2] += edited.words();
      }
      if (!toTranslate.isEmpty()) {
        List<String> back = translator.roundTrip(toTranslate.stream().map(Example::text).toList());
        long[] translated = counts.get("back_translation");
        for (int i = 0; i < toTranslate.size(); i++) {
          addIfChanged(made, toTranslate.get(i), back.get(i), translated);
        }
        translated[2] = translated[1];
      }
    }
    Map<String, OperationCount> report = new TreeMap<>();
    counts.forEach((op, c) -> report.put(op, new OperationCount(c[0], c[1], c[2])));
    return new Augmentation(
        made,
        new AugmentationReport(
            synonyms == null ? null : synonyms.source(), segmentation.id(), report));
  }

  private static void addIfChanged(List<Example> made, Example source, String text, long[] count) {
    if (!text.equals(source.text()) && !text.isBlank()) {
      made.add(new Example(source.row(), text, source.pair(), source.label(), true));
      count[1]++;
    }
  }

  Edited apply(String op, String text, Random random) {
    boolean cjk = segmenter.cjkMode(text);
    List<String> tokens = new ArrayList<>(segmenter.tokens(text));
    if (tokens.isEmpty()) {
      return new Edited(text, 0);
    }
    int n = Math.max(1, (int) Math.round(alpha * tokens.size()));
    int changed =
        switch (op) {
          case "synonym_replacement" -> replace(tokens, n, random);
          case "random_insertion" -> insert(tokens, n, random);
          case "random_swap" -> swap(tokens, n, random);
          case "random_deletion" -> delete(tokens, random);
          default -> throw new IllegalArgumentException("not an EDA operation: " + op);
        };
    return new Edited(segmenter.join(tokens, cjk), changed);
  }

  private int replace(List<String> tokens, int n, Random random) {
    List<Integer> candidates = new ArrayList<>();
    for (int i = 0; i < tokens.size(); i++) {
      if (!synonyms.of(tokens.get(i)).isEmpty()) {
        candidates.add(i);
      }
    }
    Collections.shuffle(candidates, random);
    List<Integer> chosen = candidates.subList(0, Math.min(n, candidates.size()));
    for (int i : chosen) {
      List<String> options = synonyms.of(tokens.get(i));
      tokens.set(i, options.get(random.nextInt(options.size())));
    }
    return chosen.size();
  }

  private int insert(List<String> tokens, int n, Random random) {
    List<String> withSynonyms = tokens.stream().filter(t -> !synonyms.of(t).isEmpty()).toList();
    int inserted = 0;
    for (int k = 0; k < n && !withSynonyms.isEmpty(); k++) {
      List<String> options = synonyms.of(withSynonyms.get(random.nextInt(withSynonyms.size())));
      tokens.add(random.nextInt(tokens.size() + 1), options.get(random.nextInt(options.size())));
      inserted++;
    }
    return inserted;
  }

  /** Swaps {@code n} random pairs; counts the words left at another place than before. */
  private static int swap(List<String> tokens, int n, Random random) {
    if (tokens.size() < 2) {
      return 0;
    }
    List<String> before = List.copyOf(tokens);
    for (int k = 0; k < n; k++) {
      Collections.swap(tokens, random.nextInt(tokens.size()), random.nextInt(tokens.size()));
    }
    int moved = 0;
    for (int i = 0; i < tokens.size(); i++) {
      moved += tokens.get(i).equals(before.get(i)) ? 0 : 1;
    }
    return moved;
  }

  private int delete(List<String> tokens, Random random) {
    if (tokens.size() < 2) {
      return 0;
    }
    List<String> kept = new ArrayList<>();
    for (String t : tokens) {
      if (random.nextDouble() >= alpha) {
        kept.add(t);
      }
    }
    if (kept.isEmpty()) {
      kept.add(tokens.get(random.nextInt(tokens.size())));
    }
    int deleted = tokens.size() - kept.size();
    tokens.clear();
    tokens.addAll(kept);
    return deleted;
  }
}
