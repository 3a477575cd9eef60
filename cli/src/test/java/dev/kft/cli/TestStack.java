package dev.kft.cli;

import dev.kft.io.FileTrees;
import dev.kft.local.KafkaBroker;
import dev.kft.testing.KafkaTestClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * A local stack of a test's own: a fresh {@code kft.home}, free ports, the packaged services of
 * this checkout; {@link #close()} stops it and deletes what it kept on disk.
 */
final class TestStack implements AutoCloseable {

  static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

  final Path home;
  final LocalStack.Ports ports;
  final LocalStack stack;

  private TestStack(Path home, LocalStack.Ports ports, LocalStack stack) {
    this.home = home;
    this.ports = ports;
    this.stack = stack;
  }

  /** Starts a stack with {@code replicas} instances of each replicated service. */
  static TestStack up(String name, int replicas) throws Exception {
    Path home = Files.createTempDirectory("kft-" + name + "-");
    System.setProperty("kft.root", ROOT.toString());
    System.setProperty("kft.home", home.toString());
    LocalStack.Ports ports = FreePorts.forStack(replicas);
    if (!new Services(Settings.load(), ports).built()) {
      throw new IllegalStateException(
          "the services must be packaged first: ./mvnw -B verify builds them before this module");
    }
    TestStack test = new TestStack(home, ports, new LocalStack(Settings.load(), ports, replicas));
    test.stack.up();
    return test;
  }

  /**
   * A test client of the stack's broker as its super user, who may read and write every topic (the
   * stack's own users may not).
   */
  static KafkaTestClient kafkaAdmin(Settings settings) {
    return new KafkaTestClient(settings.kafka(), kafkaAdminSettings(settings));
  }

  /** The client settings of the stack's Kafka super user. */
  static Map<String, String> kafkaAdminSettings(Settings settings) {
    try {
      return KafkaUsers.load(settings.home())
          .orElseThrow(() -> new IllegalStateException("the stack has no Kafka users"))
          .clientSettings(KafkaBroker.ADMIN);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Override
  public void close() throws Exception {
    try {
      stack.down(false);
      FileTrees.delete(stack.postgresData().getParent());
    } finally {
      FileTrees.delete(home);
      System.clearProperty("kft.root");
      System.clearProperty("kft.home");
    }
  }
}
