package dev.kft.checkpoint;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A model on the Hugging Face hub, as a job names it: {@code hf://org/name} or {@code
 * hf://org/name@revision} (a branch, tag or commit; {@code main} when left out).
 */
public record HubModelId(String repoId, String revision) {

  private static final Pattern FORM =
      Pattern.compile("^hf://([A-Za-z0-9][\\w.-]*(?:/[A-Za-z0-9][\\w.-]*)?)(?:@([\\w./-]+))?$");

  public static boolean isHub(String source) {
    return source.startsWith("hf://");
  }

  public static HubModelId parse(String source) {
    Matcher m = FORM.matcher(source);
    if (!m.matches()) {
      throw new IllegalArgumentException(
          "'" + source + "' is not hf://org/name or hf://org/name@revision");
    }
    return new HubModelId(m.group(1), m.group(2) == null ? "main" : m.group(2));
  }

  /** The cache folder name the hub's own clients use: {@code models--org--name}. */
  public String cacheFolder() {
    return "models--" + repoId.replace("/", "--");
  }

  @Override
  public String toString() {
    return "hf://" + repoId + "@" + revision;
  }
}
