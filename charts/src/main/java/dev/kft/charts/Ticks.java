package dev.kft.charts;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/** Axis ticks at round values (1, 2 or 5 times a power of ten) and their labels. */
final class Ticks {

  private Ticks() {}

  /** About five round values between {@code min} and {@code max}, both included when round. */
  static List<Double> of(double min, double max) {
    double span = max - min;
    double raw = span / 5;
    double power = Math.pow(10, Math.floor(Math.log10(raw)));
    double step = raw / power < 1.5 ? power : raw / power < 3.5 ? 2 * power : 5 * power;
    List<Double> ticks = new ArrayList<>();
    BigDecimal exact = BigDecimal.valueOf(step);
    // k times the step in decimal, so that 3 x 0.2 is 0.6 and not 0.6000000000000001
    for (long k = (long) Math.ceil(min / step - 1e-9); k * step <= max + step * 1e-9; k++) {
      ticks.add(exact.multiply(BigDecimal.valueOf(k)).doubleValue());
    }
    return ticks;
  }

  /** A tick's label: no more digits than it has, scientific notation for tiny and huge values. */
  static String label(double v) {
    double a = Math.abs(v);
    if (a != 0 && (a < 1e-3 || a >= 1e6)) {
      return String.format(java.util.Locale.ROOT, "%.1e", v);
    }
    return new BigDecimal(Double.toString(v))
        .round(new java.math.MathContext(6))
        .stripTrailingZeros()
        .toPlainString();
  }
}
