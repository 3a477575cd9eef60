package dev.kft.registry.domain;

import java.time.Instant;

/**
 * One entry of an alias's audit history.
 *
 * @param fromVersion the version it pointed at before, or null when it was new
 * @param toVersion the version it points at after, or null when it was deleted
 */
public record AliasMove(
    String name, String alias, Integer fromVersion, Integer toVersion, String actor, Instant at) {}
