package dev.kft.events;

/** Facts on {@link Topics#MODELS}: changes in the model registry, like MLflow's webhooks. */
public sealed interface ModelEvent extends Event
    permits ModelVersionRegistered, AliasSet, AliasDeleted, ScoringDeclared, ScoringRemoved {

  /**
   * The key of this fact's record: the model it is about (the deployment, for scoring facts). Every
   * fact about one model then lands in one partition, in the order the registry stated it, and a
   * reader that rebuilds the registry's state from the log (partitions interleave as they will)
   * still sees a model's versions and alias moves in order.
   */
  default String recordKey() {
    if (this instanceof ModelVersionRegistered r) {
      return r.modelName();
    } else if (this instanceof AliasSet s) {
      return s.modelName();
    } else if (this instanceof AliasDeleted d) {
      return d.modelName();
    } else if (this instanceof ScoringDeclared d) {
      return d.deployment();
    }
    return ((ScoringRemoved) this).deployment();
  }
}
