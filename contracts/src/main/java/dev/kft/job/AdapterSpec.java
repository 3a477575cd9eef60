package dev.kft.job;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.List;

/**
 * The {@code method.adapter} section: bottleneck adapters as AdapterHub defines them.
 *
 * @param type {@code pfeiffer} (default: one adapter after each layer's feed-forward output) or
 *     {@code houlsby} (after attention and after feed-forward)
 * @param reductionFactor hidden size divided by the bottleneck size, default 16
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonIgnoreProperties(ignoreUnknown = true)
public record AdapterSpec(AdapterType type, Integer reductionFactor) {

  public static final Setting<AdapterType> TYPE =
      Setting.choice("type", AdapterType.class, AdapterType.PFEIFFER);
  public static final Setting<Integer> REDUCTION_FACTOR = Setting.count("reduction_factor", 16, 1);

  /** Every declared setting of the section. */
  public static final List<Setting<?>> SETTINGS = List.of(TYPE, REDUCTION_FACTOR);

  public AdapterSpec {
    type = TYPE.or(type);
    reductionFactor = REDUCTION_FACTOR.or(reductionFactor);
  }
}
