package dev.kft.json;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

/** The one Jackson configuration for events and job specs, so every service reads alike. */
public final class Json {

  private static final ObjectMapper JSON = configure(JsonMapper.builder().build());
  private static final ObjectMapper YAML = configure(new YAMLMapper(new YAMLFactory()));

  private Json() {}

  /** The shared JSON mapper (thread-safe; do not reconfigure). */
  public static ObjectMapper mapper() {
    return JSON;
  }

  /** The shared YAML mapper, configured like {@link #mapper()}. */
  public static ObjectMapper yaml() {
    return YAML;
  }

  private static ObjectMapper configure(ObjectMapper mapper) {
    return mapper
        .registerModule(new JavaTimeModule())
        .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
        .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
        .disable(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE)
        .setSerializationInclusion(JsonInclude.Include.NON_NULL);
  }
}
