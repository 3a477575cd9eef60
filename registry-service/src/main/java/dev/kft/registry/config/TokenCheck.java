package dev.kft.registry.config;

import dev.kft.registry.domain.TokenStrength;
import io.quarkus.runtime.LaunchMode;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.Startup;
import jakarta.interceptor.Interceptor;
import java.util.Map;
import java.util.Optional;

/**
 * Refuses to start a registry whose tokens are weak: a production registry guarded by {@code
 * change-me} is an open one. Dev and test mode are let through, for their throw-away tokens.
 */
@ApplicationScoped
public class TokenCheck {

  // before any other observer of Startup (the outbox relay's among them) begins work
  void check(
      @Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE) Startup start,
      RegistryConfig config) {
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
