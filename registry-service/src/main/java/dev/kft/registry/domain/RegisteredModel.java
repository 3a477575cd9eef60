package dev.kft.registry.domain;

import java.time.Instant;
import java.util.Map;

/**
 * A named model and its latest version, as MLflow's {@code RegisteredModel}.
 *
 * @param aliases alias name to version
 */
public record RegisteredModel(
    String name,
    String description,
    Map<String, String> tags,
    Integer latestVersion,
    Map<String, Integer> aliases,
    Instant createdAt,
    Instant updatedAt) {}
