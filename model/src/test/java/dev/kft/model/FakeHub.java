package dev.kft.model;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A local stand-in for the Hugging Face hub's file endpoint, serving one repository from a
 * directory the test fills: small files answer directly with an {@code ETag}; {@code .safetensors}
 * files redirect to a "CDN" path with {@code X-Linked-Etag}, as large (LFS) files do on the hub.
 */
final class FakeHub implements AutoCloseable {

  static final String COMMIT = "0123456789abcdef0123456789abcdef01234567";

  private final HttpServer server;
  private final String repo;
  private final Path files;
  final Map<String, Integer> downloads = new ConcurrentHashMap<>();
  final List<String> authorizations = new CopyOnWriteArrayList<>();

  FakeHub(String repo, Path files) throws IOException {
    this.repo = repo;
    this.files = files;
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", this::handle);
    server.start();
  }

  URI endpoint() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  private void handle(HttpExchange exchange) throws IOException {
    String path = exchange.getRequestURI().getPath();
    authorizations.add(String.valueOf(exchange.getRequestHeaders().getFirst("Authorization")));
    String resolvePrefix = "/" + repo + "/resolve/";
    if (path.startsWith("/cdn/")) {
      serve(exchange, files.resolve(path.substring(5)), Map.of());
      return;
    }
    if (!path.startsWith(resolvePrefix)) {
      send(exchange, 404, new byte[0], Map.of());
      return;
    }
    String[] revisionAndFile = path.substring(resolvePrefix.length()).split("/", 2);
    Path file = files.resolve(revisionAndFile[1]);
    boolean knownRevision = revisionAndFile[0].equals("main") || revisionAndFile[0].equals(COMMIT);
    if (!knownRevision || !Files.isRegularFile(file)) {
      send(exchange, 404, new byte[0], Map.of("X-Error-Code", "EntryNotFound"));
      return;
    }
    String etag = "\"" + sha256(file) + "\"";
    if (file.toString().endsWith(".safetensors")) {
      send(
          exchange,
          302,
          new byte[0],
          Map.of(
              "X-Repo-Commit",
              COMMIT,
              "X-Linked-Etag",
              etag,
              "Location",
              "/cdn/" + revisionAndFile[1]));
    } else {
      serve(exchange, file, Map.of("X-Repo-Commit", COMMIT, "ETag", etag));
    }
  }

  private void serve(HttpExchange exchange, Path file, Map<String, String> headers)
      throws IOException {
    byte[] body = Files.readAllBytes(file);
    if (exchange.getRequestMethod().equals("GET")) {
      downloads.merge(file.getFileName().toString(), 1, Integer::sum);
    }
    send(exchange, 200, body, headers);
  }

  private static void send(
      HttpExchange exchange, int status, byte[] body, Map<String, String> headers)
      throws IOException {
    headers.forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
    boolean head = exchange.getRequestMethod().equals("HEAD");
    exchange.sendResponseHeaders(status, head || body.length == 0 ? -1 : body.length);
    if (!head && body.length > 0) {
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    }
    exchange.close();
  }

  private static String sha256(Path file) throws IOException {
    try {
      return HexFormat.of()
          .formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
