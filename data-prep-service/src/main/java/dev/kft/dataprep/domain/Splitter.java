package dev.kft.dataprep.domain;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * Splits examples into train, validation and test, stratified by label and seeded: each class is
 * shuffled with the seed and cut by the fractions (rounded per class), so every split holds each
 * class in proportion, to within one example.
 */
public final class Splitter {

  /** The three parts. */
  public record Parts(List<Example> train, List<Example> validation, List<Example> test) {}

  private Splitter() {}

  public static Parts split(
      List<Example> examples,
      int labels,
      double validationFraction,
      double testFraction,
      long seed) {
    List<List<Example>> byLabel = new ArrayList<>();
    for (int i = 0; i < labels; i++) {
      byLabel.add(new ArrayList<>());
    }
    examples.forEach(e -> byLabel.get(e.label()).add(e));
    List<Example> train = new ArrayList<>();
    List<Example> validation = new ArrayList<>();
    List<Example> test = new ArrayList<>();
    for (int label = 0; label < labels; label++) {
      List<Example> group = byLabel.get(label);
      Collections.shuffle(group, new Random(seed * 31 + label));
      int n = group.size();
      int nValidation = (int) Math.round(n * validationFraction);
      int nTest = (int) Math.round(n * testFraction);
      validation.addAll(group.subList(0, nValidation));
      test.addAll(group.subList(nValidation, Math.min(n, nValidation + nTest)));
      train.addAll(group.subList(Math.min(n, nValidation + nTest), n));
    }
    requireNotEmpty(train, "train", 1 - validationFraction - testFraction, examples.size());
    if (validationFraction > 0) {
      requireNotEmpty(validation, "validation", validationFraction, examples.size());
    }
    if (testFraction > 0) {
      requireNotEmpty(test, "test", testFraction, examples.size());
    }
    Random order = new Random(seed);
    Collections.shuffle(train, order);
    return new Parts(train, validation, test);
  }

  private static void requireNotEmpty(List<Example> part, String name, double fraction, int total) {
    if (part.isEmpty()) {
      throw new DataProblem(
          "the "
              + name
              + " split is empty: "
              + fraction
              + " of "
              + total
              + " examples rounds to none in every class (dataset.split."
              + name
              + ")");
    }
  }
}
