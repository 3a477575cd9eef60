package dev.kft.registry.domain;

import java.time.Instant;

/**
 * A topic scored with a registered model, as declared through the registry's API.
 *
 * @param model {@code NAME@ALIAS} or {@code NAME:VERSION}
 * @param textField the field of an input record holding the text
 */
public record ScoringDeployment(
    String name,
    String model,
    String fromTopic,
    String toTopic,
    String textField,
    String declaredBy,
    Instant declaredAt) {}
