package dev.kft.registry.rest;

import dev.kft.registry.config.RegistryConfig;
import jakarta.enterprise.inject.Instance;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.SecurityContext;
import jakarta.ws.rs.ext.Provider;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.Principal;
import java.util.Optional;
import java.util.Set;

/**
 * Guards the REST API with bearer tokens: writes need the write token (401 without a token, 403
 * with another one, 403 when none is configured); reads need the write or the read token unless
 * {@code kft.registry.protect-reads} is off. The token decides who the request is: the audit trail
 * records {@code kft.registry.api-token-user} for the write token, never a name the client sends.
 */
@Provider
public class BearerAuth implements ContainerRequestFilter {

  /** Who made a change with the read token, were it allowed to; and who reads without one. */
  static final String READER = "reader";

  static final String ANONYMOUS = "anonymous";

  private static final Set<String> READS = Set.of("GET", "HEAD", "OPTIONS");

  // filters are built at static init, before runtime configuration exists: look it up per request
  private final Instance<RegistryConfig> settings;

  public BearerAuth(Instance<RegistryConfig> settings) {
    this.settings = settings;
  }

  @Override
  public void filter(ContainerRequestContext request) {
    if (!request.getUriInfo().getPath().startsWith("/api")) {
      return;
    }
    RegistryConfig config = settings.get();
    boolean read =
        READS.contains(request.getMethod())
            || MlflowResource.READS_BY_POST.contains(request.getUriInfo().getPath())
            || ConsoleResource.VALIDATE.equals(request.getUriInfo().getPath());
    Optional<String> given = bearer(request);
    if (given.isPresent() && matches(given.get(), config.apiToken())) {
      request.setSecurityContext(as(config.apiTokenUser()));
    } else if (read && given.isPresent() && matches(given.get(), config.readToken())) {
      request.setSecurityContext(as(READER));
    } else if (read && !config.protectReads()) {
      request.setSecurityContext(as(ANONYMOUS));
    } else if (!read && config.apiToken().filter(t -> !t.isBlank()).isEmpty()) {
      deny(
          request,
          403,
          "writes are disabled: the registry has no kft.registry.api-token configured");
    } else if (given.isEmpty()) {
      deny(request, 401, "this request needs 'Authorization: Bearer <token>'");
    } else if (!read && matches(given.get(), config.readToken())) {
      deny(request, 403, "the read token may not change anything; writes need the write token");
    } else {
      deny(request, 403, "the bearer token is not valid");
    }
  }

  private static Optional<String> bearer(ContainerRequestContext request) {
    String header = request.getHeaderString(HttpHeaders.AUTHORIZATION);
    if (header == null || !header.startsWith("Bearer ")) {
      return Optional.empty();
    }
    return Optional.of(header.substring("Bearer ".length()).trim());
  }

  /** Compares in constant time, so that timing tells nothing of the token. */
  private static boolean matches(String given, Optional<String> expected) {
    return expected
        .filter(t -> !t.isBlank())
        .map(
            t ->
                MessageDigest.isEqual(
                    given.getBytes(StandardCharsets.UTF_8), t.getBytes(StandardCharsets.UTF_8)))
        .orElse(false);
  }

  private static SecurityContext as(String name) {
    Principal principal = () -> name;
    return new SecurityContext() {
      @Override
      public Principal getUserPrincipal() {
        return principal;
      }

      @Override
      public boolean isUserInRole(String role) {
        return false;
      }

      @Override
      public boolean isSecure() {
        return false;
      }

      @Override
      public String getAuthenticationScheme() {
        return "Bearer";
      }
    };
  }

  private static void deny(ContainerRequestContext request, int status, String detail) {
    request.abortWith(ProblemMapper.response(status, detail, request.getUriInfo().getPath()));
  }
}
