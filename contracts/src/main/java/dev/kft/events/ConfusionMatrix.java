package dev.kft.events;

import java.util.List;

/**
 * Counts of true against predicted labels.
 *
 * @param labels label names by label id
 * @param counts {@code counts.get(true).get(predicted)}
 */
public record ConfusionMatrix(List<String> labels, List<List<Long>> counts) {}
