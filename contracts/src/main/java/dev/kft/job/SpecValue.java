package dev.kft.job;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * A value of a closed vocabulary in a job spec (an enum constant with the name users write): the
 * validator offers {@link #ids}, the records hold the constant, JSON carries {@link #id}.
 */
public interface SpecValue {

  /** The enum constant's name. */
  String name();

  /**
   * The name in a job spec: the constant's name in lower case, e.g. {@code constant_with_warmup}.
   */
  @JsonValue
  default String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Every name of {@code type}'s vocabulary, in declaration order. */
  static <E extends Enum<E> & SpecValue> List<String> ids(Class<E> type) {
    return Arrays.stream(type.getEnumConstants()).map(SpecValue::id).toList();
  }

  /**
   * The constant of {@code type} named {@code id}.
   *
   * @throws IllegalArgumentException naming the accepted values
   */
  static <E extends Enum<E> & SpecValue> E of(Class<E> type, String id) {
    return Arrays.stream(type.getEnumConstants())
        .filter(e -> e.id().equals(id))
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("'" + id + "' is not one of " + ids(type)));
  }
}
