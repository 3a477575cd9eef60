package dev.kft.registry.domain;

import dev.kft.events.DatasetPrepared;
import dev.kft.events.ModelCandidate;

/**
 * Where a model version comes from, stored with it: the job's data report (spec, dataset digests,
 * the batch offsets training read), the candidate the evaluator proposed (checkpoint, sha256,
 * metrics), the base model and the checkpoint directory.
 */
public record Lineage(
    DatasetPrepared datasetPrepared,
    ModelCandidate candidate,
    String baseModel,
    String checkpoint) {}
