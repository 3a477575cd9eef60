package dev.kft.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code kft} command: submit and watch jobs, query the registry, run the local stack. */
@Command(
    name = "kft",
    mixinStandardHelpOptions = true,
    version = "kft 0.1.0",
    description = "Fine-tune transformer classifiers as event-driven services.",
    subcommands = {
      SubmitCommand.class,
      ValidateCommand.class,
      WatchCommand.class,
      JobsCommand.class,
      JobsCommand.Job.class,
      JobsCommand.Cancel.class,
      ModelsCommand.class,
      ModelsCommand.Model.class,
      ModelsCommand.Alias.class,
      ModelsCommand.Download.class,
      PredictCommand.class,
      ServeCommand.class,
      StackCommands.Console.class,
      StackCommands.Up.class,
      StackCommands.Down.class,
      StackCommands.Status.class,
      DemoCommand.class
    })
public final class Kft implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @CommandLine.Option(
      names = "--verbose",
      scope = CommandLine.ScopeType.INHERIT,
      description = "print the stack trace of an error, not just its one line")
  boolean verbose;

  @CommandLine.Option(
      names = "--registry-url",
      scope = CommandLine.ScopeType.INHERIT,
      paramLabel = "URL",
      description =
          "a remote stack's registry (or KFT_REGISTRY_URL): submit and watch go over its HTTP"
              + " API, no Kafka needed; the token comes from KFT_TOKEN")
  void registryUrl(String url) {
    System.setProperty(Settings.REGISTRY_URL, url);
  }

  public static void main(String[] args) {
    // no DJL is on this class path today; should any arrive (a local predict), it stays offline
    System.setProperty("ai.djl.offline", "true");
    System.exit(run(args));
  }

  /** Runs the command line and returns its exit code. */
  public static int run(String... args) {
    // an earlier run in this JVM (a test) must not leave its --registry-url behind
    System.clearProperty(Settings.REGISTRY_URL);
    return new CommandLine(new Kft())
        .setCaseInsensitiveEnumValuesAllowed(true)
        .setExecutionExceptionHandler(Kft::oneLine)
        .execute(args);
  }

  /**
   * Any error as one line naming the command and what went wrong (a taken port, an unreachable
   * stack, a refused request); the stack trace only with {@code --verbose}.
   */
  private static int oneLine(Exception e, CommandLine command, CommandLine.ParseResult parsed) {
    String what = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    if (e instanceof org.apache.kafka.common.errors.TimeoutException) {
      what += " (is the stack up? kft status)";
    }
    command.getErr().println("kft " + command.getCommandName() + ": " + what.strip());
    if (verbose(parsed)) {
      e.printStackTrace(command.getErr());
    } else {
      command.getErr().println("  (--verbose shows the stack trace)");
    }
    return 1;
  }

  private static boolean verbose(CommandLine.ParseResult parsed) {
    for (CommandLine.ParseResult p = parsed; p != null; p = p.subcommand()) {
      if (p.hasMatchedOption("--verbose")) {
        return true;
      }
    }
    return false;
  }

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }
}
