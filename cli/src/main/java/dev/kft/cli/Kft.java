package dev.kft.cli;

import java.io.IOException;
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
      StackCommands.Up.class,
      StackCommands.Down.class,
      StackCommands.Status.class,
      DemoCommand.class
    })
public final class Kft implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    // no DJL is on this class path today; should any arrive (a local predict), it stays offline
    System.setProperty("ai.djl.offline", "true");
    System.exit(run(args));
  }

  /** Runs the command line and returns its exit code. */
  public static int run(String... args) {
    return new CommandLine(new Kft())
        .setCaseInsensitiveEnumValuesAllowed(true)
        .setExecutionExceptionHandler(Kft::oneLine)
        .execute(args);
  }

  /** What went wrong outside kft's control (a taken port, an unreachable stack) in one line. */
  private static int oneLine(Exception e, CommandLine command, CommandLine.ParseResult parsed)
      throws Exception {
    if (e instanceof IOException || e instanceof IllegalStateException) {
      command.getErr().println("kft " + command.getCommandName() + ": " + e.getMessage());
      return 1;
    }
    throw e;
  }

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }
}
