package dev.kft.dataprep.domain;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Maps label values to ids. Declared labels keep their order. Otherwise the labels found are
 * ordered numerically when every one is an integer ({@code 0, 1, 2, 10}), else by Unicode code
 * point ({@code String.compareTo}); the order never depends on the order of rows.
 */
public final class LabelIndex {

  private final List<String> names;
  private final Map<String, Integer> ids = new HashMap<>();

  private LabelIndex(List<String> names) {
    this.names = List.copyOf(names);
    for (int i = 0; i < names.size(); i++) {
      ids.put(names.get(i), i);
    }
  }

  public static LabelIndex declared(List<String> labels) {
    return new LabelIndex(labels);
  }

  /** The index of the labels found in the data; fewer than two is a {@link DataProblem}. */
  public static LabelIndex found(Collection<String> labels) {
    TreeSet<String> distinct = new TreeSet<>(labels);
    if (distinct.size() < 2) {
      throw new DataProblem(
          "one class only: every kept row is labelled "
              + distinct
              + "; a classifier needs at least two");
    }
    List<String> names = new ArrayList<>(distinct);
    if (names.stream().allMatch(l -> l.matches("-?\\d{1,18}"))) {
      names.sort((a, b) -> Long.compare(Long.parseLong(a), Long.parseLong(b)));
    }
    return new LabelIndex(names);
  }

  public List<String> names() {
    return names;
  }

  /** The id of a label; an unknown one is a {@link DataProblem} naming the row. */
  public int id(String label, long row, String file) {
    Integer id = ids.get(label);
    if (id == null) {
      throw new DataProblem(
          file
              + " row "
              + row
              + " has label '"
              + label
              + "', which is not one of the declared labels "
              + names
              + " (model.labels)");
    }
    return id;
  }
}
