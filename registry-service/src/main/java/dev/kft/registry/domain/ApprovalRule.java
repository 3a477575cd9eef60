package dev.kft.registry.domain;

import dev.kft.job.RegistrySpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;

/**
 * One rule of a job's {@code registry.approval}, such as {@code eval_f1 >= 0.85}: a metric of the
 * candidate (validation {@code eval_*} or test {@code test_*}; a bare name means {@code eval_}), a
 * comparison and a number.
 */
public record ApprovalRule(String metric, String op, double threshold) {

  /** Parses a rule; the job spec validator has already checked its form. */
  public static ApprovalRule parse(String rule) {
    Matcher m = RegistrySpec.APPROVAL_RULE.matcher(rule);
    if (!m.matches()) {
      throw new IllegalArgumentException("registry.approval: cannot read rule '" + rule + "'");
    }
    String metric = m.group(1);
    if (!metric.startsWith("eval_") && !metric.startsWith("test_")) {
      metric = "eval_" + metric;
    }
    return new ApprovalRule(metric, m.group(2), Double.parseDouble(m.group(3)));
  }

  /**
   * Checks every rule against the candidate's metrics.
   *
   * @return one line per failed rule, with the figure it saw; empty when all pass
   */
  public static List<String> failures(List<String> rules, Map<String, Double> metrics) {
    List<String> failed = new ArrayList<>();
    for (String text : rules) {
      ApprovalRule rule = parse(text);
      Double value = metrics.get(rule.metric());
      if (value == null) {
        failed.add(
            rule
                + ": the candidate has no "
                + rule.metric()
                + " (it has "
                + new TreeSet<>(metrics.keySet())
                + ")");
      } else if (!rule.holds(value)) {
        failed.add(rule + ": " + rule.metric() + " is " + format(value));
      }
    }
    return failed;
  }

  public boolean holds(double value) {
    return switch (op) {
      case ">=" -> value >= threshold;
      case "<=" -> value <= threshold;
      case ">" -> value > threshold;
      case "<" -> value < threshold;
      default -> value == threshold;
    };
  }

  @Override
  public String toString() {
    return metric + " " + op + " " + format(threshold);
  }

  private static String format(double v) {
    return String.format(Locale.ROOT, "%.6g", v);
  }
}
