package dev.kft.testing;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;

/**
 * Runs an independent reference computation in Python (Debian's python3 with {@code python3-torch},
 * {@code python3-numpy}, {@code python3-sklearn}), from a script in the test resources.
 *
 * <p>Where the interpreter lacks a module a script imports, the test is skipped with that reason
 * (JUnit's assumptions), so that a developer's machine without the references still runs every
 * other test. CI sets {@code KFT_REQUIRE_REFERENCES=true}, and then a missing module fails the test
 * instead: the references are never skipped silently there.
 */
public final class PythonReference {

  /**
   * The third-party modules whose absence skips a test; everything else is the standard library.
   */
  private static final List<String> REFERENCE_MODULES = List.of("torch", "numpy", "sklearn");

  private static final Pattern IMPORT =
      Pattern.compile("^(?:import|from)\\s+([A-Za-z_][A-Za-z0-9_]*)", Pattern.MULTILINE);

  private static final Map<String, Boolean> AVAILABLE = new ConcurrentHashMap<>();

  private PythonReference() {}

  /** The interpreter: {@code -Dkft.python}, else Debian's {@code /usr/bin/python3}. */
  public static String interpreter() {
    String configured = System.getProperty("kft.python");
    if (configured != null) {
      return configured;
    }
    return Files.isExecutable(Path.of("/usr/bin/python3")) ? "/usr/bin/python3" : "python3";
  }

  /**
   * Runs {@code /python/<script>} with arguments and returns what it printed on stdout; skips the
   * calling test when the interpreter lacks a module the script imports.
   */
  public static String run(String script, Path workDir, String... args)
      throws IOException, InterruptedException {
    assumeModules(modulesNeededBy(script));
    Path file = copy(script, workDir);
    // scripts may import the reference model, its adapters and its training helpers
    for (String module : List.of("bert_reference.py", "peft_reference.py", "train_reference.py")) {
      copy(module, workDir);
    }
    List<String> command = new ArrayList<>(List.of(interpreter(), file.toString()));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile());
    builder.environment().put("OMP_NUM_THREADS", "2");
    Path stderr = workDir.resolve(script + ".stderr");
    Process process = builder.redirectError(stderr.toFile()).start();
    byte[] out = process.getInputStream().readAllBytes();
    if (!process.waitFor(10, TimeUnit.MINUTES) || process.exitValue() != 0) {
      throw new IllegalStateException(
          script
              + " failed (install python3-torch and python3-numpy): "
              + Files.readString(stderr));
    }
    return new String(out, StandardCharsets.UTF_8);
  }

  /**
   * Skips the calling test (or fails it where {@code KFT_REQUIRE_REFERENCES=true}) unless the
   * interpreter can import every one of {@code modules}.
   */
  public static void assumeModules(List<String> modules) {
    List<String> missing = modules.stream().filter(m -> !available(m)).toList();
    if (missing.isEmpty()) {
      return;
    }
    String reason =
        interpreter()
            + " cannot import "
            + missing
            + ": the independent reference is absent (Debian: python3-torch, python3-numpy,"
            + " python3-sklearn)";
    if (Boolean.parseBoolean(System.getenv("KFT_REQUIRE_REFERENCES"))) {
      throw new AssertionError(reason + "; KFT_REQUIRE_REFERENCES is set, so this fails");
    }
    System.err.println("kft: skipping a parity test: " + reason);
    Assumptions.abort(reason);
  }

  /** The reference modules {@code script} imports, itself or through the scripts it imports. */
  static List<String> modulesNeededBy(String script) throws IOException {
    List<String> modules = new ArrayList<>();
    collectModules(script, modules, new ArrayList<>());
    return modules;
  }

  private static void collectModules(String script, List<String> modules, List<String> seen)
      throws IOException {
    seen.add(script);
    String source;
    try (InputStream in = PythonReference.class.getResourceAsStream("/python/" + script)) {
      if (in == null) {
        return;
      }
      source = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    Matcher m = IMPORT.matcher(source);
    while (m.find()) {
      String name = m.group(1);
      if (REFERENCE_MODULES.contains(name) && !modules.contains(name)) {
        modules.add(name);
      } else if (!seen.contains(name + ".py")) {
        collectModules(name + ".py", modules, seen);
      }
    }
  }

  private static boolean available(String module) {
    return AVAILABLE.computeIfAbsent(
        module,
        m -> {
          try {
            Process p =
                new ProcessBuilder(interpreter(), "-c", "import " + m)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            return p.waitFor(2, TimeUnit.MINUTES) && p.exitValue() == 0;
          } catch (IOException e) {
            return false;
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
          }
        });
  }

  private static Path copy(String script, Path workDir) throws IOException {
    Path file = workDir.resolve(script);
    try (InputStream in = PythonReference.class.getResourceAsStream("/python/" + script)) {
      if (in == null) {
        throw new IllegalArgumentException("no test resource /python/" + script);
      }
      Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
    }
    return file;
  }
}
