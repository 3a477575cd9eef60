package dev.kft.peft;

import dev.kft.checkpoint.BertLayout;
import java.util.List;

/** Matching of tensor names against module names as PEFT's {@code modules_to_save} does. */
final class Modules {

  private Modules() {}

  /**
   * Whether tensor {@code name} belongs to one of {@code modules}: a module named {@code m} is any
   * module whose full name is {@code m} or ends with {@code .m}, with all its tensors.
   */
  /**
   * Whether tensor {@code name} belongs to the classifier head (adapters and prompt tuning train
   * it).
   */
  static boolean head(String name) {
    return name.startsWith(BertLayout.CLASSIFIER + ".");
  }

  static boolean saved(List<String> modules, String name) {
    String dotted = "." + name;
    return modules.stream().anyMatch(m -> dotted.contains("." + m + "."));
  }
}
