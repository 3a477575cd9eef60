package dev.kft.registry.rest;

import dev.kft.registry.config.RegistryConfig;
import jakarta.enterprise.inject.Instance;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.ext.Provider;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;
import java.util.Set;

/**
 * Guards the REST API with the configured bearer token: writes always need it (401 without a token,
 * 403 with a wrong one, 403 when none is configured), reads only with {@code
 * kft.registry.protect-reads}.
 */
@Provider
public class BearerAuth implements ContainerRequestFilter {

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
    boolean read = READS.contains(request.getMethod());
    if (read && !config.protectReads()) {
      return;
    }
    Optional<String> expected = config.apiToken().filter(t -> !t.isBlank());
    if (expected.isEmpty()) {
      deny(
          request,
          403,
          "writes are disabled: the registry has no kft.registry.api-token configured");
      return;
    }
    String header = request.getHeaderString(HttpHeaders.AUTHORIZATION);
    if (header == null || !header.startsWith("Bearer ")) {
      deny(request, 401, "this request needs 'Authorization: Bearer <token>'");
      return;
    }
    byte[] given = header.substring("Bearer ".length()).trim().getBytes(StandardCharsets.UTF_8);
    if (!MessageDigest.isEqual(given, expected.get().getBytes(StandardCharsets.UTF_8))) {
      deny(request, 403, "the bearer token is not valid");
    }
  }

  private static void deny(ContainerRequestContext request, int status, String detail) {
    request.abortWith(ProblemMapper.response(status, detail, request.getUriInfo().getPath()));
  }
}
