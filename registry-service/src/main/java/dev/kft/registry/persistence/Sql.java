package dev.kft.registry.persistence;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import dev.kft.json.Json;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Map;

/** JSON and time conversions between records and PostgreSQL columns. */
final class Sql {

  private Sql() {}

  static String json(Object value) {
    try {
      return Json.mapper().writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("cannot write as JSON: " + value, e);
    }
  }

  static JsonNode tree(ResultSet row, String column) throws SQLException {
    String text = row.getString(column);
    try {
      return text == null ? null : Json.mapper().readTree(text);
    } catch (JsonProcessingException e) {
      throw new SQLException("column " + column + " holds bad JSON", e);
    }
  }

  static <T> T read(ResultSet row, String column, TypeReference<T> type) throws SQLException {
    String text = row.getString(column);
    try {
      return text == null ? null : Json.mapper().readValue(text, type);
    } catch (JsonProcessingException e) {
      throw new SQLException("column " + column + " holds bad JSON", e);
    }
  }

  static Map<String, String> stringMap(ResultSet row, String column) throws SQLException {
    return read(row, column, new TypeReference<Map<String, String>>() {});
  }

  static Map<String, Double> doubleMap(ResultSet row, String column) throws SQLException {
    return read(row, column, new TypeReference<Map<String, Double>>() {});
  }

  static Instant instant(ResultSet row, String column) throws SQLException {
    Timestamp t = row.getTimestamp(column);
    return t == null ? null : t.toInstant();
  }

  static void bind(PreparedStatement statement, Object... values) throws SQLException {
    for (int i = 0; i < values.length; i++) {
      Object v = values[i];
      if (v instanceof Instant t) {
        statement.setTimestamp(i + 1, Timestamp.from(t));
      } else {
        statement.setObject(i + 1, v);
      }
    }
  }
}
