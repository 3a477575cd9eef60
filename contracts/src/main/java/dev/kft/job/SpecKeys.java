package dev.kft.job;

import java.util.Arrays;
import java.util.List;

/** The keys a spec section accepts: its record's components, in snake_case. */
final class SpecKeys {

  private SpecKeys() {}

  static List<String> of(Class<? extends Record> section) {
    return Arrays.stream(section.getRecordComponents())
        .map(c -> c.getName().replaceAll("([A-Z])", "_$1").toLowerCase(java.util.Locale.ROOT))
        .toList();
  }
}
