package dev.kft.inference.domain;

/**
 * Which version of a registered model to use: {@code name} (its newest version), {@code name@alias}
 * or {@code name:version}.
 *
 * @param alias the alias, or null
 * @param version the version number, or null
 */
public record ModelRef(String name, String alias, Integer version) {

  /**
   * Reads {@code name}, {@code name@alias} or {@code name:version}.
   *
   * @throws IllegalArgumentException naming what is wrong with {@code text}
   */
  public static ModelRef parse(String text) {
    if (text == null || text.isBlank()) {
      throw new IllegalArgumentException("model: required, as NAME, NAME@ALIAS or NAME:VERSION");
    }
    int at = text.indexOf('@');
    int colon = text.lastIndexOf(':');
    if (at > 0 && at < text.length() - 1) {
      return new ModelRef(text.substring(0, at), text.substring(at + 1), null);
    }
    if (colon > 0 && colon < text.length() - 1) {
      try {
        int version = Integer.parseInt(text.substring(colon + 1));
        if (version >= 1) {
          return new ModelRef(text.substring(0, colon), null, version);
        }
      } catch (NumberFormatException e) {
        // named below
      }
      throw new IllegalArgumentException(
          "model: the version after ':' must be a whole number >= 1, got '"
              + text.substring(colon + 1)
              + "'");
    }
    if (at >= 0 || colon >= 0) {
      throw new IllegalArgumentException(
          "model: '" + text + "' is not NAME, NAME@ALIAS or NAME:VERSION");
    }
    return new ModelRef(text, null, null);
  }

  @Override
  public String toString() {
    return alias != null ? name + "@" + alias : version != null ? name + ":" + version : name;
  }
}
