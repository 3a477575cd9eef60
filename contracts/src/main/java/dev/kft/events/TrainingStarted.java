package dev.kft.events;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Records that the trainer began (or resumed) a job; published on {@link Topics#JOB_EVENTS}.
 *
 * @param method the fine-tuning method ({@code full}, {@code lora}, {@code adapter}, {@code
 *     prompt_tuning})
 * @param trainableParameters trainable and total parameter counts, as PEFT reports them
 * @param totalSteps optimizer steps the job will run unless stopped early
 * @param resumedFromStep the checkpoint step training resumed from, 0 on a fresh start
 * @param device where the work runs (for example {@code cpu()} or {@code gpu(0)})
 * @param precision the type of the matrix products: {@code float32}, or {@code bf16} for bfloat16
 *     mixed precision (null in events written before kft reported it)
 * @param unusedWeights the pretrained checkpoint's tensors the model leaves out, grouped ({@code
 *     bert.encoder.layer.6.*} for a dropped layer, {@code cls.predictions.*} for a masked-LM head);
 *     empty when nothing is left out, on a resume, or from random weights
 */
public record TrainingStarted(
    UUID eventId,
    String jobId,
    Instant occurredAt,
    String method,
    ParameterCount trainableParameters,
    long totalSteps,
    long resumedFromStep,
    String device,
    String precision,
    List<String> unusedWeights)
    implements JobEvent {}
