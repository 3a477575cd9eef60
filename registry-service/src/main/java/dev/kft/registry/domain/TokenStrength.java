package dev.kft.registry.domain;

import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Whether a bearer token is strong enough to guard the registry: at least as long as 32 random
 * bytes written in base64 (hex is longer), not a default from an example, not one character
 * repeated.
 */
public final class TokenStrength {

  /** 32 bytes in unpadded base64. */
  static final int MIN_LENGTH = 43;

  private static final Set<String> DEFAULTS =
      Set.of("change-me", "changeme", "secret", "token", "test-token", "password", "admin", "kft");

  private TokenStrength() {}

  /** What is wrong with {@code token}, or empty when it is strong enough. */
  public static Optional<String> problem(String token) {
    String t = token.trim();
    if (DEFAULTS.contains(t.toLowerCase(Locale.ROOT))) {
      return Optional.of("is a known default ('" + t + "'); make one: openssl rand -hex 32");
    }
    if (t.length() < MIN_LENGTH) {
      return Optional.of(
          "is "
              + t.length()
              + " characters; it must hold at least 32 random bytes ("
              + MIN_LENGTH
              + " characters of base64, 64 of hex): openssl rand -hex 32");
    }
    if (t.chars().distinct().count() < 8) {
      return Optional.of("uses fewer than 8 distinct characters; it is not random");
    }
    return Optional.empty();
  }
}
