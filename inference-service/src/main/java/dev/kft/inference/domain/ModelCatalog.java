package dev.kft.inference.domain;

import dev.kft.events.AliasDeleted;
import dev.kft.events.AliasSet;
import dev.kft.events.ModelEvent;
import dev.kft.events.ModelVersionRegistered;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;

/**
 * The registered versions and aliases of every model, as the registry announced them on {@code
 * kft.models}: which exported directory a reference to a model means.
 */
public final class ModelCatalog {

  /**
   * One registered version.
   *
   * @param artifactUri its exported directory (Hugging Face layout)
   * @param sizeBytes bytes of its {@code model.safetensors}
   */
  public record Version(String name, int version, String artifactUri, long sizeBytes) {}

  private final Map<String, TreeMap<Integer, Version>> versions = new HashMap<>();
  private final Map<String, Map<String, Integer>> aliases = new HashMap<>();
  private final Set<UUID> applied = new HashSet<>();

  /**
   * Whether every one of {@code events} has been taken in (the catalog is at least that recent).
   */
  public synchronized boolean hasApplied(Collection<UUID> events) {
    return applied.containsAll(events);
  }

  /** Takes in one registry event; events of other kinds are not about versions or aliases. */
  public synchronized void apply(ModelEvent event) {
    applied.add(event.eventId());
    if (event instanceof ModelVersionRegistered r) {
      versions
          .computeIfAbsent(r.modelName(), n -> new TreeMap<>())
          .put(
              r.version(), new Version(r.modelName(), r.version(), r.artifactUri(), r.sizeBytes()));
    } else if (event instanceof AliasSet s) {
      aliases.computeIfAbsent(s.modelName(), n -> new HashMap<>()).put(s.alias(), s.version());
    } else if (event instanceof AliasDeleted d) {
      aliases.getOrDefault(d.modelName(), new HashMap<>()).remove(d.alias());
    }
  }

  /**
   * The version {@code ref} means now: the aliased one, the numbered one, or the newest.
   *
   * @throws UnknownModelException naming the model, alias or version the registry has not announced
   */
  public synchronized Version resolve(ModelRef ref) {
    TreeMap<Integer, Version> all = versions.get(ref.name());
    if (all == null || all.isEmpty()) {
      throw new UnknownModelException("no model named '" + ref.name() + "' is registered");
    }
    Integer number = ref.version();
    if (ref.alias() != null) {
      number = aliases.getOrDefault(ref.name(), Map.of()).get(ref.alias());
      if (number == null) {
        throw new UnknownModelException(
            "model '" + ref.name() + "' has no alias '" + ref.alias() + "'");
      }
    }
    Version version = number == null ? all.lastEntry().getValue() : all.get(number);
    if (version == null) {
      throw new UnknownModelException(
          "model '" + ref.name() + "' has no registered version " + number);
    }
    return version;
  }
}
