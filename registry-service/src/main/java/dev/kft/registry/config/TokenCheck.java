package dev.kft.registry.config;

import dev.kft.registry.domain.TokenStrength;
import io.quarkus.runtime.LaunchMode;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Map;
import java.util.Optional;

/**
 * Refuses to start a registry whose tokens are weak: a production registry guarded by {@code
 * change-me} is an open one. Dev and test mode are let through, for their throw-away tokens.
 */
@ApplicationScoped
public class TokenCheck {

  void check(@Observes StartupEvent start, RegistryConfig config) {
    if (LaunchMode.current() != LaunchMode.NORMAL) {
      return;
    }
    for (Map.Entry<String, Optional<String>> token :
        Map.of(
                "kft.registry.api-token", config.apiToken(),
                "kft.registry.read-token", config.readToken())
            .entrySet()) {
      token
          .getValue()
          .flatMap(TokenStrength::problem)
          .ifPresent(
              problem -> {
                throw new IllegalStateException(token.getKey() + ": the token " + problem);
              });
    }
  }
}
