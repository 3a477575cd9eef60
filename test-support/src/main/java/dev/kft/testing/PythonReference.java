package dev.kft.testing;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs an independent reference computation in Python (Debian's python3 with {@code python3-torch},
 * {@code python3-numpy}), from a script in the test resources.
 */
public final class PythonReference {

  private PythonReference() {}

  /** The interpreter: {@code -Dkft.python}, else Debian's {@code /usr/bin/python3}. */
  public static String interpreter() {
    String configured = System.getProperty("kft.python");
    if (configured != null) {
      return configured;
    }
    return Files.isExecutable(Path.of("/usr/bin/python3")) ? "/usr/bin/python3" : "python3";
  }

  /** Runs {@code /python/<script>} with arguments and returns what it printed on stdout. */
  public static String run(String script, Path workDir, String... args)
      throws IOException, InterruptedException {
    Path file = copy(script, workDir);
    // scripts may import the reference model
    copy("bert_reference.py", workDir);
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
