package dev.kft.events;

import java.time.Instant;
import java.util.UUID;

/**
 * Records that a topic is to be scored with a registered model; published on {@link Topics#MODELS}
 * by the registry, keyed (in {@code jobId}) by the deployment's name. Declaring a deployment again
 * under its name replaces it.
 *
 * @param deployment the deployment's name
 * @param model {@code NAME@ALIAS} (following the alias) or {@code NAME:VERSION}
 * @param fromTopic records to score: JSON objects with {@code textField}, or plain text
 * @param toTopic where each record's prediction goes, under the input's key
 * @param textField the field of an input record holding the text
 */
public record ScoringDeclared(
    UUID eventId,
    String jobId,
    Instant occurredAt,
    String deployment,
    String model,
    String fromTopic,
    String toTopic,
    String textField,
    String declaredBy)
    implements ModelEvent {}
