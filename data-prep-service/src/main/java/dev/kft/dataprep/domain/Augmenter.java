package dev.kft.dataprep.domain;

import dev.kft.job.Segmentation;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * Makes extra training examples with the EDA operations of Wei and Zou (2019): synonym replacement,
 * random insertion (of a synonym of a word of the text), random swap and random deletion, each
 * changing about {@code alpha} of a text's tokens. Seeded: the same examples, seed and settings
 * give the same new examples. Only ever given the train split.
 */
public final class Augmenter {

  private final List<String> operations;
  private final double alpha;
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
    this.segmenter = new Segmenter(segmentation, synonyms);
  }

  /**
   * New examples from {@code train}: {@code round(ratio * size)} of them, each from a source
   * example drawn with the seed, by an operation drawn with the seed. An operation that leaves a
   * text unchanged (no synonym in it, a one-token text) yields no example.
   */
  public List<Example> augment(List<Example> train, double ratio, long seed) {
    List<Example> made = new ArrayList<>();
    if (train.isEmpty() || operations.isEmpty()) {
      return made;
    }
    Random random = new Random(seed);
    long wanted = Math.round(ratio * train.size());
    List<Example> toTranslate = new ArrayList<>();
    for (long i = 0; i < wanted; i++) {
      Example source = train.get(random.nextInt(train.size()));
      String op = operations.get(random.nextInt(operations.size()));
      if (op.equals("back_translation")) {
        toTranslate.add(source);
        continue;
      }
      addIfChanged(made, source, apply(op, source.text(), random));
    }
    if (!toTranslate.isEmpty()) {
      List<String> back = translator.roundTrip(toTranslate.stream().map(Example::text).toList());
      for (int i = 0; i < toTranslate.size(); i++) {
        addIfChanged(made, toTranslate.get(i), back.get(i));
      }
    }
    return made;
  }

  private static void addIfChanged(List<Example> made, Example source, String text) {
    if (!text.equals(source.text()) && !text.isBlank()) {
      made.add(new Example(source.row(), text, source.pair(), source.label(), true));
    }
  }

  String apply(String op, String text, Random random) {
    boolean characters = segmenter.characterMode(text);
    List<String> tokens = new ArrayList<>(segmenter.tokens(text));
    if (tokens.isEmpty()) {
      return text;
    }
    int n = Math.max(1, (int) Math.round(alpha * tokens.size()));
    switch (op) {
      case "synonym_replacement" -> replace(tokens, n, random);
      case "random_insertion" -> insert(tokens, n, random);
      case "random_swap" -> swap(tokens, n, random);
      case "random_deletion" -> delete(tokens, random);
      default -> throw new IllegalArgumentException("not an EDA operation: " + op);
    }
    return segmenter.join(tokens, characters);
  }

  private void replace(List<String> tokens, int n, Random random) {
    List<Integer> candidates = new ArrayList<>();
    for (int i = 0; i < tokens.size(); i++) {
      if (!synonyms.of(tokens.get(i)).isEmpty()) {
        candidates.add(i);
      }
    }
    Collections.shuffle(candidates, random);
    for (int i : candidates.subList(0, Math.min(n, candidates.size()))) {
      List<String> options = synonyms.of(tokens.get(i));
      tokens.set(i, options.get(random.nextInt(options.size())));
    }
  }

  private void insert(List<String> tokens, int n, Random random) {
    List<String> withSynonyms = tokens.stream().filter(t -> !synonyms.of(t).isEmpty()).toList();
    for (int k = 0; k < n && !withSynonyms.isEmpty(); k++) {
      List<String> options = synonyms.of(withSynonyms.get(random.nextInt(withSynonyms.size())));
      tokens.add(random.nextInt(tokens.size() + 1), options.get(random.nextInt(options.size())));
    }
  }

  private static void swap(List<String> tokens, int n, Random random) {
    if (tokens.size() < 2) {
      return;
    }
    for (int k = 0; k < n; k++) {
      Collections.swap(tokens, random.nextInt(tokens.size()), random.nextInt(tokens.size()));
    }
  }

  private void delete(List<String> tokens, Random random) {
    if (tokens.size() < 2) {
      return;
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
    tokens.clear();
    tokens.addAll(kept);
  }
}
