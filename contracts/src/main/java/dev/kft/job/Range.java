package dev.kft.job;

/**
 * The numbers a numeric setting accepts: optional lower and upper bounds, each inclusive or not, as
 * the JSON Schema's {@code minimum}/{@code exclusiveMinimum} and {@code maximum}/{@code
 * exclusiveMaximum} say them.
 */
public record Range(Double min, boolean minInclusive, Double max, boolean maxInclusive) {

  /** Any number. */
  public static final Range ANY = new Range(null, false, null, false);

  /** Greater than {@code min}. */
  public static Range above(double min) {
    return new Range(min, false, null, false);
  }

  /** At least {@code min}. */
  public static Range atLeast(double min) {
    return new Range(min, true, null, false);
  }

  /** This range, below {@code max}. */
  public Range below(double max) {
    return new Range(min, minInclusive, max, false);
  }

  /** This range, at most {@code max}. */
  public Range atMost(double max) {
    return new Range(min, minInclusive, max, true);
  }

  public boolean contains(double value) {
    boolean aboveMin = min == null || (minInclusive ? value >= min : value > min);
    boolean belowMax = max == null || (maxInclusive ? value <= max : value < max);
    return aboveMin && belowMax;
  }

  /** How error messages state the range: {@code > 0}, {@code >= 1}, {@code in [0, 1)}. */
  @Override
  public String toString() {
    if (min == null && max == null) {
      return "a number";
    }
    if (min == null) {
      return (maxInclusive ? "<= " : "< ") + number(max);
    }
    if (max == null) {
      return (minInclusive ? ">= " : "> ") + number(min);
    }
    return "in "
        + (minInclusive ? "[" : "(")
        + number(min)
        + ", "
        + number(max)
        + (maxInclusive ? "]" : ")");
  }

  private static String number(double value) {
    return value == Math.rint(value) ? String.valueOf((long) value) : String.valueOf(value);
  }
}
