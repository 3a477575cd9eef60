package dev.kft.registry.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("unit")
class TokenStrengthTest {

  @Test
  void thirtyTwoRandomBytesPassInHexAndInBase64() {
    byte[] bytes = new byte[32];
    new SecureRandom().nextBytes(bytes);
    assertEquals(Optional.empty(), TokenStrength.problem(HexFormat.of().formatHex(bytes)));
    assertEquals(
        Optional.empty(),
        TokenStrength.problem(Base64.getUrlEncoder().withoutPadding().encodeToString(bytes)));
  }

  @Test
  void defaultsShortAndRepetitiveTokensAreRefusedWithTheReason() {
    assertTrue(TokenStrength.problem("change-me").orElseThrow().contains("known default"));
    assertTrue(TokenStrength.problem(" Change-Me ").orElseThrow().contains("known default"));
    byte[] sixteen = new byte[16];
    new SecureRandom().nextBytes(sixteen);
    assertTrue(
        TokenStrength.problem(HexFormat.of().formatHex(sixteen))
            .orElseThrow()
            .contains("is 32 characters"));
    assertTrue(TokenStrength.problem("a".repeat(64)).orElseThrow().contains("not random"));
  }
}
