package dev.kft.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line's behaviour that needs no stack: validation, overrides, errors, examples. */
@Tag("unit")
class CommandLineTest {

  private static final Path EXAMPLES = Path.of("..", "examples");

  private record Run(int exit, String out, String err) {}

  private static Run kft(String... args) {
    PrintStream savedOut = System.out;
    PrintStream savedErr = System.err;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    try {
      return new Run(
          Kft.run(args),
          out.toString(StandardCharsets.UTF_8),
          err.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(savedOut);
      System.setErr(savedErr);
    }
  }

  @Test
  void validateChecksASpecWithoutAStackAndAppliesOverrides() {
    Run valid = kft("validate", EXAMPLES.resolve("demo.yaml").toString());
    assertEquals(0, valid.exit(), valid.err());
    assertTrue(valid.out().contains("demo.yaml: valid (full fine-tuning of"), valid.out());

    Run bad =
        kft(
            "validate",
            EXAMPLES.resolve("demo.yaml").toString(),
            "--set",
            "training.learning_rate=-1");
    assertEquals(SubmitCommand.INVALID, bad.exit());
    assertTrue(bad.err().contains("training.learning_rate: must be > 0"), bad.err());

    Run printed =
        kft(
            "validate",
            EXAMPLES.resolve("demo.yaml").toString(),
            "--print",
            "--set",
            "training.learning_rate=3e-5",
            "--set",
            "training.warmup_ratio=0.2");
    assertEquals(0, printed.exit(), printed.err());
    assertTrue(printed.out().contains("learning_rate: 3.0E-5"), printed.out());
    assertTrue(printed.out().contains("warmup_ratio: 0.2"), printed.out());
    assertTrue(printed.out().contains("lr_scheduler_type: \"linear\""), "defaults filled in");

    Run unreadable = kft("validate", "no-such-spec.yaml");
    assertEquals(SubmitCommand.INVALID, unreadable.exit());
    assertEquals(
        "no-such-spec.yaml: no such file (relative paths start where you run kft)\n",
        unreadable.err());
    Run badSet = kft("validate", EXAMPLES.resolve("demo.yaml").toString(), "--set", "epochs");
    assertTrue(badSet.err().contains("--set epochs: expected section.key=value"), badSet.err());
  }

  @Test
  void anErrorIsOneLineUnlessVerbose(@TempDir Path home) throws Exception {
    // a registry that refuses connections
    Files.writeString(home.resolve(Settings.FILE), "registry=http://127.0.0.1:9\n");
    System.setProperty("kft.home", home.toString());
    try {
      Run quiet = kft("jobs");
      assertEquals(1, quiet.exit());
      List<String> lines = quiet.err().lines().toList();
      assertEquals(2, lines.size(), quiet.err());
      assertEquals(
          "kft jobs: cannot reach http://127.0.0.1:9 (is the stack up? kft status)", lines.get(0));
      assertEquals("  (--verbose shows the stack trace)", lines.get(1));

      Run remote = kft("jobs", "--registry-url", "http://127.0.0.1:7/");
      assertTrue(
          remote.err().startsWith("kft jobs: cannot reach http://127.0.0.1:7 "),
          "--registry-url names the registry: " + remote.err());

      Run verbose = kft("jobs", "--verbose");
      assertEquals(1, verbose.exit());
      assertTrue(verbose.err().contains("\tat "), "a stack trace: " + verbose.err());
    } finally {
      System.clearProperty("kft.home");
    }
  }

  @Test
  void theConsoleCommandNamesTheAddressAndHandsOverTheToken(@TempDir Path home) throws Exception {
    System.setProperty("kft.home", home.toString());
    try {
      Files.writeString(home.resolve(Settings.FILE), "registry=http://127.0.0.1:8184\n");
      Run address = kft("console");
      assertEquals(0, address.exit(), address.err());
      assertTrue(address.out().startsWith("web console: http://127.0.0.1:8184/"), address.out());
      Run none = kft("console", "--token");
      assertEquals(2, none.exit());
      assertTrue(none.err().contains("no registry token"), none.err());
      Files.writeString(
          home.resolve(Settings.FILE), "registry=http://127.0.0.1:8184\ntoken=s3cret-token\n");
      Run token = kft("console", "--token");
      assertEquals("s3cret-token", token.out().strip());
    } finally {
      System.clearProperty("kft.home");
    }
  }

  @Test
  void everyExampleNamesTheSchemaForEditorsAndIsValid() throws Exception {
    try (Stream<Path> files = Files.list(EXAMPLES)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".yaml")).toList()) {
        String first = Files.readAllLines(f).get(0);
        assertEquals(
            "# yaml-language-server: $schema=../docs/job-spec.schema.json", first, f.toString());
        assertTrue(Files.isRegularFile(f.resolveSibling("../docs/job-spec.schema.json")));
        Run checked = kft("validate", f.toString());
        assertEquals(0, checked.exit(), f + ": " + checked.err());
      }
    }
  }
}
