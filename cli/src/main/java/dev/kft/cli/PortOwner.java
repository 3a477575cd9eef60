package dev.kft.cli;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/** Who holds a TCP port on this machine, so that a taken port is reported with its process. */
final class PortOwner {

  private PortOwner() {}

  /** Whether nothing listens on {@code port} of the loopback address. */
  static boolean free(int port) {
    try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
      s.setReuseAddress(true);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** "pid N (command)" of the process listening on {@code port}, when Linux's /proc tells. */
  static Optional<String> describe(int port) {
    try {
      Optional<String> inode = listeningInode(port);
      if (inode.isEmpty()) {
        return Optional.empty();
      }
      String socket = "socket:[" + inode.get() + "]";
      try (Stream<Path> processes = Files.list(Path.of("/proc"))) {
        for (Path p : processes.filter(d -> d.getFileName().toString().matches("\\d+")).toList()) {
          if (holds(p, socket)) {
            return Optional.of("pid " + p.getFileName() + " (" + command(p) + ")");
          }
        }
      }
    } catch (IOException | RuntimeException e) {
      // /proc is Linux's; elsewhere the port is reported without its owner
    }
    return Optional.empty();
  }

  private static Optional<String> listeningInode(int port) throws IOException {
    String hexPort = String.format(":%04X", port);
    for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
      Path file = Path.of(table);
      if (!Files.isReadable(file)) {
        continue;
      }
      for (String line : Files.readAllLines(file)) {
        String[] f = line.trim().split("\\s+");
        if (f.length > 9 && f[1].endsWith(hexPort) && f[3].equals("0A")) {
          return Optional.of(f[9]);
        }
      }
    }
    return Optional.empty();
  }

  private static boolean holds(Path process, String socket) {
    try (Stream<Path> fds = Files.list(process.resolve("fd"))) {
      return fds.anyMatch(
          fd -> {
            try {
              return Files.readSymbolicLink(fd).toString().equals(socket);
            } catch (IOException e) {
              return false;
            }
          });
    } catch (IOException e) {
      return false;
    }
  }

  private static String command(Path process) throws IOException {
    byte[] raw = Files.readAllBytes(process.resolve("cmdline"));
    String command = new String(raw, StandardCharsets.UTF_8).replace('\0', ' ').strip();
    return command.length() > 80 ? command.substring(0, 80) + "…" : command;
  }
}
