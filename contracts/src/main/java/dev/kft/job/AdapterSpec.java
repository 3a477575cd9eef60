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
public record AdapterSpec(String type, Integer reductionFactor) {

  /** Adapter placements. */
  public static final List<String> TYPES = List.of("pfeiffer", "houlsby");

  public AdapterSpec {
    type = type != null ? type : "pfeiffer";
    reductionFactor = reductionFactor != null ? reductionFactor : 16;
  }
}
