package dev.kft.job;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * A fine-tuning job as a user writes it: which model, which data, which method, how to train and
 * when to register the result. Names and defaults follow Hugging Face {@code TrainingArguments} and
 * PEFT; every section may be left out and takes its defaults.
 *
 * <p>Bind a spec only through {@link JobSpecs}, which validates first and reports every problem.
 *
 * @param name a name for people; not an identifier
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonIgnoreProperties(ignoreUnknown = true)
public record JobSpec(
    String name,
    ModelSpec model,
    DatasetSpec dataset,
    MethodSpec method,
    TrainingSpec training,
    RegistrySpec registry) {

  /** Fills every missing section with its defaults. */
  public JobSpec {
    model =
        model != null ? model : new ModelSpec(null, null, null, null, null, null, null, null, null);
    method = method != null ? method : new MethodSpec(null, null, null, null);
    training = training != null ? training : TrainingSpec.defaults();
  }
}
