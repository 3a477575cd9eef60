package dev.kft.cli;

import java.lang.reflect.Method;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Finds fields a fabric8 Kubernetes model object received without knowing them: the model keeps
 * them in {@code additionalProperties} instead of failing, so a typo would pass a plain parse.
 */
final class StrictModel {

  private StrictModel() {}

  static void unknownFields(Object value, String path, List<String> unknown) throws Exception {
    if (value == null
        || !value.getClass().getName().startsWith("io.fabric8.kubernetes.api.model")) {
      return;
    }
    for (Method getter : value.getClass().getMethods()) {
      if (getter.getParameterCount() != 0
          || !getter.getName().startsWith("get")
          || getter.getName().equals("getClass")) {
        continue;
      }
      Object child = getter.invoke(value);
      String name = getter.getName().substring(3);
      if (name.equals("AdditionalProperties")) {
        if (child instanceof Map<?, ?> extra && !extra.isEmpty()) {
          unknown.add(path + ": " + extra.keySet());
        }
      } else if (child instanceof Collection<?> items) {
        int i = 0;
        for (Object item : items) {
          unknownFields(item, path + "." + name + "[" + i++ + "]", unknown);
        }
      } else if (child instanceof Map<?, ?> map) {
        for (Map.Entry<?, ?> e : map.entrySet()) {
          unknownFields(e.getValue(), path + "." + name + "[" + e.getKey() + "]", unknown);
        }
      } else {
        unknownFields(child, path + "." + name, unknown);
      }
    }
  }
}
