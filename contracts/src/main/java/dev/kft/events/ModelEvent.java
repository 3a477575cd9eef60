package dev.kft.events;

/** Facts on {@link Topics#MODELS}: changes in the model registry, like MLflow's webhooks. */
public sealed interface ModelEvent extends Event
    permits ModelVersionRegistered, AliasSet, AliasDeleted, ScoringDeclared, ScoringRemoved {}
