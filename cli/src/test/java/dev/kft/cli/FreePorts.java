package dev.kft.cli;

import java.io.IOException;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;

/** Free loopback ports for a test's stack. */
final class FreePorts {

  private FreePorts() {}

  /**
   * The ports of a stack where every port, and each service port + 10·(n-1) for {@code replicas}
   * instances, is free. All sockets stay open until every port is known, so none repeats.
   */
  static LocalStack.Ports forStack(int replicas) throws IOException {
    List<ServerSocket> held = new ArrayList<>();
    try {
      int[] p = new int[7];
      for (int i = 0; i < p.length; i++) {
        // data-prep, trainer, evaluator and inference run as replicas; the registry does not
        p[i] = take(held, i >= 2 && i != 5 ? replicas : 1);
      }
      return new LocalStack.Ports(p[0], p[1], p[2], p[3], p[4], p[5], p[6]);
    } finally {
      for (ServerSocket s : held) {
        s.close();
      }
    }
  }

  /** A port free for itself and its {@code instances - 1} followers, 10 apart; all held open. */
  private static int take(List<ServerSocket> held, int instances) throws IOException {
    while (true) {
      ServerSocket first = new ServerSocket(0);
      List<ServerSocket> group = new ArrayList<>(List.of(first));
      try {
        for (int n = 1; n < instances; n++) {
          group.add(new ServerSocket(first.getLocalPort() + Services.INSTANCE_PORT_STEP * n));
        }
        held.addAll(group);
        return first.getLocalPort();
      } catch (IOException taken) {
        for (ServerSocket s : group) {
          s.close();
        }
      }
    }
  }
}
