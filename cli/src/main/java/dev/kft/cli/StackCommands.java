package dev.kft.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code kft up}, {@code kft down} and {@code kft status}: the local stack. */
final class StackCommands {

  private StackCommands() {}

  /** Ports, each overridable. */
  static final class PortOptions {
    @Option(names = "--kafka-port", defaultValue = "9092")
    int kafka;

    @Option(names = "--postgres-port", defaultValue = "5433")
    int postgres;

    @Option(
        names = "--http-port-base",
        defaultValue = "8080",
        description = "services listen on base+1 (data-prep) to base+5 (inference)")
    int httpBase;

    LocalStack.Ports ports() {
      return new LocalStack.Ports(
          kafka, postgres, httpBase + 1, httpBase + 2, httpBase + 3, httpBase + 4, httpBase + 5);
    }
  }

  static LocalStack stack(Settings settings, LocalStack.Ports ports, int replicas) {
    if (!new Services(settings, ports).built()) {
      throw new IllegalStateException(
          "the services are not built: run ./kft (it builds on first use) or ./mvnw -B package"
              + " -DskipTests");
    }
    return new LocalStack(settings, ports, replicas);
  }

  /** {@code kft up}. */
  @Command(name = "up", description = "Start the local stack (Kafka, PostgreSQL, four services).")
  static final class Up implements Callable<Integer> {
    @picocli.CommandLine.Mixin PortOptions ports = new PortOptions();

    @Option(
        names = "--replicas",
        description =
            "instances each of data-prep, the trainer and the evaluator, 1 to 9 (default: as the"
                + " last kft up, else 1); instance n listens on its service's port + 10(n-1)")
    Integer replicas;

    @Override
    public Integer call() throws Exception {
      Settings settings = Settings.load();
      int n = replicas != null ? replicas : LocalStack.recordedReplicas(settings);
      System.out.println("starting the local stack in " + settings.home());
      stack(settings, ports.ports(), n).up();
      System.out.println("stack is up; logs in " + settings.home().resolve("logs"));
      System.out.println(Console.address(Settings.load()));
      return 0;
    }
  }

  /** {@code kft down}. */
  @Command(
      name = "down",
      description =
          "Stop the local stack; its data (Kafka's log, the registry's database, checkpoints and"
              + " versions) stays for the next kft up unless --purge.")
  static final class Down implements Callable<Integer> {
    @Option(
        names = "--purge",
        description =
            "also delete what the stack keeps on disk: .kft/, the PostgreSQL data and the"
                + " unpacked PostgreSQL binaries")
    boolean purge;

    @Override
    public Integer call() throws Exception {
      new LocalStack(Settings.load(), LocalStack.Ports.DEFAULT, 1).down(purge);
      return 0;
    }
  }

  /** {@code kft status}. */
  @Command(name = "status", description = "Show which parts of the local stack run and are ready.")
  static final class Status implements Callable<Integer> {
    @picocli.CommandLine.Mixin PortOptions ports = new PortOptions();

    @Override
    public Integer call() throws Exception {
      Settings settings = Settings.load();
      new LocalStack(settings, ports.ports(), LocalStack.recordedReplicas(settings))
          .status()
          .forEach(System.out::println);
      return 0;
    }
  }

  /** {@code kft console}. */
  @Command(
      name = "console",
      description =
          "Show the web console's address; --token prints the registry's write token alone, to"
              + " paste into the console.")
  static final class Console implements Callable<Integer> {
    @Option(names = "--token", description = "print the write token alone")
    boolean token;

    static String address(Settings settings) {
      return "web console: " + settings.registry() + "/ (its token: kft console --token)";
    }

    @Override
    public Integer call() {
      Settings settings = Settings.load();
      if (!token) {
        System.out.println(address(settings));
        return 0;
      }
      if (settings.token() == null || settings.token().isBlank()) {
        System.err.println(
            "kft: no registry token here: start the local stack (kft up) or set KFT_TOKEN");
        return 2;
      }
      System.out.println(settings.token());
      return 0;
    }
  }
}
