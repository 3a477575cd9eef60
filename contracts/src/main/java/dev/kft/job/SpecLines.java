package dev.kft.job;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.kft.json.Json;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;

/**
 * Where each setting of a spec's text lies, so that a problem can be shown beside its line: the
 * line of every key and list item, by the dotted path {@link Problem} uses ({@code training.lr},
 * {@code registry.approval[0]}).
 */
public final class SpecLines {

  private final Map<String, Integer> lines;

  private SpecLines(Map<String, Integer> lines) {
    this.lines = lines;
  }

  /** Reads the text's layout; text that is not YAML gives what was read before the error. */
  public static SpecLines of(String text) {
    Map<String, Integer> lines = new HashMap<>();
    Deque<Level> levels = new ArrayDeque<>();
    try (JsonParser parser = Json.yaml().getFactory().createParser(text)) {
      for (JsonToken token = parser.nextToken(); token != null; token = parser.nextToken()) {
        int line = parser.currentTokenLocation().getLineNr();
        Level level = levels.peek();
        if (token == JsonToken.FIELD_NAME) {
          level.key =
              level.path.isEmpty() ? parser.currentName() : level.path + "." + parser.currentName();
          lines.putIfAbsent(level.key, line);
        } else if (token == JsonToken.END_OBJECT || token == JsonToken.END_ARRAY) {
          levels.pop();
        } else {
          String path = level == null ? "" : level.valuePath();
          if (level != null && level.index >= 0) {
            lines.putIfAbsent(path, line);
          }
          if (token == JsonToken.START_OBJECT || token == JsonToken.START_ARRAY) {
            levels.push(new Level(path, token == JsonToken.START_ARRAY));
          }
        }
      }
    } catch (IOException e) {
      // the syntax error is reported with its own line; what came before it still has its lines
    }
    return new SpecLines(lines);
  }

  /**
   * The line of the setting at {@code path}, or of its nearest enclosing setting when the text does
   * not have it (a required key left out); 0 for the spec as a whole.
   */
  public int lineOf(String path) {
    for (String p = path; !p.isEmpty(); p = parent(p)) {
      Integer line = lines.get(p);
      if (line != null) {
        return line;
      }
    }
    return 0;
  }

  private static String parent(String path) {
    int cut = Math.max(path.lastIndexOf('.'), path.lastIndexOf('['));
    return cut < 0 ? "" : path.substring(0, cut);
  }

  /** An open mapping or list: its path, its current key, the index of its current item. */
  private static final class Level {
    final String path;
    String key;
    int index;

    Level(String path, boolean list) {
      this.path = path;
      this.index = list ? -1 : -2;
    }

    /** The path of the value being read: the current key's, or the next item's. */
    String valuePath() {
      if (index == -2) {
        return key;
      }
      index++;
      return path + "[" + index + "]";
    }
  }
}
