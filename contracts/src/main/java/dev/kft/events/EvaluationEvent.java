package dev.kft.events;

/** Facts on {@link Topics#EVALUATIONS}: the evaluator's verdicts on checkpoints. */
public sealed interface EvaluationEvent extends Event permits CheckpointEvaluated, ModelCandidate {}
