package dev.kft.job;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * One scalar setting of a job spec, declared once: its key, its default and the values it accepts.
 * The section's record fills an absent value with {@link #or}, the validator checks a given one
 * with {@link #read}, and {@code SchemaAgreementTest} compares the declaration with the JSON
 * Schema's type, bounds, {@code enum} and {@code default}.
 *
 * @param <T> the record's type for the value
 */
public final class Setting<T> {

  /** What JSON type the value has. */
  public enum Kind {
    NUMBER,
    INTEGER,
    BOOLEAN,
    CHOICE
  }

  private final String key;
  private final Kind kind;
  private final T byDefault;
  private final Range range;
  private final List<String> choices;
  private final Function<Object, T> convert;

  private Setting(
      String key,
      Kind kind,
      T byDefault,
      Range range,
      List<String> choices,
      Function<Object, T> convert) {
    this.key = key;
    this.kind = kind;
    this.byDefault = byDefault;
    this.range = range;
    this.choices = choices;
    this.convert = convert;
  }

  /** A number in {@code range}; {@code byDefault} may be null (no default). */
  public static Setting<Double> number(String key, Double byDefault, Range range) {
    return new Setting<>(key, Kind.NUMBER, byDefault, range, List.of(), v -> (Double) v);
  }

  /** A whole number of at least {@code min}, held as a {@code long}. */
  public static Setting<Long> integer(String key, Long byDefault, long min) {
    return new Setting<>(
        key, Kind.INTEGER, byDefault, Range.atLeast(min), List.of(), v -> (Long) v);
  }

  /** A whole number of at least {@code min}, held as an {@code int}. */
  public static Setting<Integer> count(String key, Integer byDefault, int min) {
    return new Setting<>(
        key,
        Kind.INTEGER,
        byDefault,
        Range.atLeast(min),
        List.of(),
        v -> Math.toIntExact((Long) v));
  }

  /** {@code true} or {@code false}. */
  public static Setting<Boolean> flag(String key, Boolean byDefault) {
    return new Setting<>(key, Kind.BOOLEAN, byDefault, Range.ANY, List.of(), v -> (Boolean) v);
  }

  /** One name of {@code type}'s vocabulary. */
  public static <E extends Enum<E> & SpecValue> Setting<E> choice(
      String key, Class<E> type, E byDefault) {
    return new Setting<>(
        key,
        Kind.CHOICE,
        byDefault,
        Range.ANY,
        SpecValue.ids(type),
        v -> SpecValue.of(type, (String) v));
  }

  public String key() {
    return key;
  }

  public Kind kind() {
    return kind;
  }

  /** The value a job gets when it gives none; null when there is no default. */
  public T byDefault() {
    return byDefault;
  }

  /** The numbers accepted ({@link Range#ANY} for non-numbers). */
  public Range range() {
    return range;
  }

  /** The names accepted by a choice, empty otherwise. */
  public List<String> choices() {
    return choices;
  }

  /** {@code value}, or the default when it is null. */
  public T or(T value) {
    return value != null ? value : byDefault;
  }

  /** The value at this setting's key in {@code node}, or null when absent or wrong (reported). */
  T read(SpecNode node) {
    Object value =
        switch (kind) {
          case NUMBER -> node.number(key, range.toString(), range::contains);
          case INTEGER -> node.integer(key, range.min().longValue());
          case BOOLEAN -> node.bool(key);
          case CHOICE -> node.oneOf(key, choices);
        };
    if (value == null) {
      return null;
    }
    try {
      return convert.apply(value);
    } catch (ArithmeticException e) {
      node.problem(key, "must be at most " + Integer.MAX_VALUE + ", got " + value);
      return null;
    }
  }

  /** Reads every one of {@code settings} in {@code node} once, reporting each problem once. */
  static Values readAll(SpecNode node, List<Setting<?>> settings) {
    Values values = new Values();
    for (Setting<?> setting : settings) {
      values.read.put(setting, setting.read(node));
    }
    return values;
  }

  /** What {@link #readAll} read: each setting's value, or null when absent or wrong. */
  static final class Values {
    private final Map<Setting<?>, Object> read = new HashMap<>();

    @SuppressWarnings("unchecked")
    <T> T get(Setting<T> setting) {
      return (T) read.get(setting);
    }
  }
}
