package dev.kft.checkpoint;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Fetches model files from a Hugging Face hub through its file endpoint ({@code GET
 * {endpoint}/{repo}/resolve/{revision}/{file}}) into a cache laid out as the hub's own clients lay
 * it out, so an existing {@code ~/.cache/huggingface/hub} is reused:
 *
 * <pre>
 * models--org--name/blobs/{etag}                  file contents
 * models--org--name/snapshots/{commit}/{file}     link to ../../blobs/{etag}
 * models--org--name/refs/{revision}               the commit a branch or tag pointed at
 * </pre>
 *
 * Offline, only the cache is read.
 */
public final class HubClient {

  private static final Pattern COMMIT = Pattern.compile("^[0-9a-f]{40}$");

  private final URI endpoint;
  private final Path cache;
  private final boolean offline;
  private final Optional<String> token;
  private final HttpClient http;
  private final HttpClient headHttp;

  /**
   * @param endpoint for example {@code https://huggingface.co}
   * @param cache the hub cache directory
   * @param offline read only the cache, never the network
   * @param token a hub access token for private or gated models
   */
  public HubClient(URI endpoint, Path cache, boolean offline, Optional<String> token) {
    this.endpoint = endpoint;
    this.cache = cache;
    this.offline = offline;
    this.token = token;
    this.http =
        HttpClient.newBuilder()
            .followRedirects(HttpClient.Redirect.NORMAL)
            .connectTimeout(Duration.ofSeconds(20))
            .build();
    this.headHttp =
        HttpClient.newBuilder()
            .followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(20))
            .build();
  }

  /**
   * Makes {@code required} and, where the repository has them, {@code optional} files of a model
   * available locally.
   *
   * @return the snapshot directory holding them
   * @throws HubException when a required file is missing, access is refused, or the cache lacks the
   *     files while offline
   */
  public Path snapshot(HubModelId id, List<String> required, List<String> optional)
      throws IOException {
    Path repo = cache.resolve(id.cacheFolder());
    if (offline) {
      return cachedSnapshot(id, repo, required);
    }
    String commit = null;
    for (String file : required) {
      commit = fetch(id, repo, file, true);
    }
    for (String file : optional) {
      fetch(id, repo, file, false);
    }
    if (!COMMIT.matcher(id.revision()).matches()) {
      Files.createDirectories(repo.resolve("refs"));
      Files.writeString(repo.resolve("refs").resolve(id.revision()), commit);
    }
    return repo.resolve("snapshots").resolve(commit);
  }

  private Path cachedSnapshot(HubModelId id, Path repo, List<String> required) throws IOException {
    String commit = id.revision();
    Path ref = repo.resolve("refs").resolve(id.revision());
    if (!COMMIT.matcher(commit).matches() && Files.isRegularFile(ref)) {
      commit = Files.readString(ref).trim();
    }
    Path snapshot = repo.resolve("snapshots").resolve(commit);
    for (String file : required) {
      if (!Files.exists(snapshot.resolve(file))) {
        throw new HubException(
            id + ": " + file + " is not in the hub cache " + cache + " and hub access is offline");
      }
    }
    return snapshot;
  }

  /** Fetches one file unless its blob is cached; returns the commit it belongs to. */
  private String fetch(HubModelId id, Path repo, String file, boolean required) throws IOException {
    URI uri = resolveUri(id, file);
    HttpResponse<Void> head =
        send(
            headHttp,
            request(uri).method("HEAD", HttpRequest.BodyPublishers.noBody()).build(),
            HttpResponse.BodyHandlers.discarding());
    if (head.statusCode() == 404) {
      if (required) {
        throw new HubException(id + " has no file " + file + describe(file));
      }
      return null;
    }
    checkAccess(id, head.statusCode());
    String commit =
        head.headers()
            .firstValue("X-Repo-Commit")
            .orElseThrow(
                () ->
                    new HubException(
                        endpoint
                            + " did not answer like a Hugging Face hub (no "
                            + "X-Repo-Commit header for "
                            + id
                            + " "
                            + file
                            + ")"));
    String etag =
        head.headers()
            .firstValue("X-Linked-Etag")
            .or(() -> head.headers().firstValue("ETag"))
            .map(e -> e.replaceFirst("^W/", "").replace("\"", ""))
            .orElseThrow(() -> new HubException("no ETag for " + id + " " + file));
    Path blob = repo.resolve("blobs").resolve(etag);
    if (!Files.exists(blob)) {
      download(id, uri, blob);
    }
    Path link = repo.resolve("snapshots").resolve(commit).resolve(file);
    Files.createDirectories(link.getParent());
    if (!Files.exists(link)) {
      Files.deleteIfExists(link);
      Files.createSymbolicLink(link, link.getParent().relativize(blob));
    }
    return commit;
  }

  private void download(HubModelId id, URI uri, Path blob) throws IOException {
    Files.createDirectories(blob.getParent());
    Path partial = blob.resolveSibling(blob.getFileName() + ".incomplete");
    HttpResponse<InputStream> response =
        send(http, request(uri).GET().build(), HttpResponse.BodyHandlers.ofInputStream());
    try (InputStream body = response.body()) {
      checkAccess(id, response.statusCode());
      if (response.statusCode() != 200) {
        throw new HubException(id + ": " + uri + " answered " + response.statusCode());
      }
      Files.copy(body, partial, StandardCopyOption.REPLACE_EXISTING);
    }
    Files.move(partial, blob, StandardCopyOption.ATOMIC_MOVE);
  }

  private void checkAccess(HubModelId id, int status) {
    if (status == 401 || status == 403) {
      throw new HubException(
          id
              + ": access refused ("
              + status
              + "); gated or private models "
              + "need a token (HF_TOKEN)");
    }
    if (status >= 400) {
      throw new HubException(id + ": the hub answered " + status);
    }
  }

  private URI resolveUri(HubModelId id, String file) {
    String revision = URLEncoder.encode(id.revision(), StandardCharsets.UTF_8);
    String base = endpoint.toString().replaceAll("/+$", "");
    return URI.create(base + "/" + id.repoId() + "/resolve/" + revision + "/" + file);
  }

  private HttpRequest.Builder request(URI uri) {
    HttpRequest.Builder builder =
        HttpRequest.newBuilder(uri).timeout(Duration.ofMinutes(30)).header("User-Agent", "kft");
    token.ifPresent(t -> builder.header("Authorization", "Bearer " + t));
    return builder;
  }

  private static <T> HttpResponse<T> send(
      HttpClient client, HttpRequest request, HttpResponse.BodyHandler<T> handler)
      throws IOException {
    try {
      return client.send(request, handler);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while fetching " + request.uri(), e);
    }
  }

  private static String describe(String file) {
    return file.endsWith(".safetensors")
        ? " (kft reads safetensors weights only, never pickled .bin files)"
        : "";
  }
}
