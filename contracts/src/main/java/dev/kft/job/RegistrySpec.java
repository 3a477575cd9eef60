package dev.kft.job;

import com.fasterxml.jackson.annotation.JsonFormat;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The {@code registry} section: under which name the result is registered, and when.
 *
 * @param modelName registered model name; letters, digits, {@code . _ -}
 * @param description shown with the registered model
 * @param approval rules such as {@code eval_f1 >= 0.85}, all of which the best checkpoint must pass
 *     (a single string is one rule); none means every finished job is registered
 * @param tags free-form tags copied onto the model version
 * @param aliases aliases to point at the new version (for example {@code staging})
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonIgnoreProperties(ignoreUnknown = true)
public record RegistrySpec(
    String modelName,
    String description,
    @JsonFormat(with = JsonFormat.Feature.ACCEPT_SINGLE_VALUE_AS_ARRAY) List<String> approval,
    Map<String, String> tags,
    List<String> aliases) {

  /** An approval rule: groups 1 metric, 2 comparison ({@code >= <= > < ==}), 3 number. */
  public static final Pattern APPROVAL_RULE =
      Pattern.compile(
          "^\\s*([A-Za-z_][A-Za-z0-9_]*)\\s*(>=|<=|>|<|==)\\s*"
              + "([-+]?(\\d+(\\.\\d*)?|\\.\\d+)([eE][-+]?\\d+)?)\\s*$");

  public RegistrySpec {
    approval = approval != null ? List.copyOf(approval) : List.of();
    tags = tags != null ? Map.copyOf(tags) : Map.of();
    aliases = aliases != null ? List.copyOf(aliases) : List.of();
  }
}
