package dev.kft.dataprep.domain;

import dev.kft.io.ConfinedPaths;
import dev.kft.io.PathNotAllowedException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * Opens the files a job names: local paths and {@code file:} URIs inside the data roots, and {@code
 * http(s)://} URLs the {@link OutboundPolicy} allows (every redirect too), up to a size limit and
 * within a timeout. Anything else is a {@link DataProblem} saying why.
 */
public final class DataSources {

  private final ConfinedPaths roots;
  private final long maxHttpBytes;
  private final Duration timeout;
  private final OutboundPolicy outbound;
  private final HttpClient http;

  /** Redirects followed at most, each checked as the first URL was. */
  static final int MAX_REDIRECTS = 5;

  public DataSources(
      ConfinedPaths roots, long maxHttpBytes, Duration timeout, OutboundPolicy outbound) {
    this.roots = roots;
    this.maxHttpBytes = maxHttpBytes;
    this.timeout = timeout;
    this.outbound = outbound;
    // redirects are followed here, so that each target is checked before it is asked
    this.http =
        HttpClient.newBuilder()
            .connectTimeout(timeout)
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
  }

  /** Where this service may fetch from. */
  public OutboundPolicy outbound() {
    return outbound;
  }

  /** Opens a location for reading; the caller closes the stream. */
  public InputStream open(String location) throws IOException {
    if (location.startsWith("http://") || location.startsWith("https://")) {
      return fetch(location);
    }
    try {
      Path path = roots.resolve(location);
      if (!Files.isRegularFile(path)) {
        throw new DataProblem("'" + location + "' is not a file");
      }
      return Files.newInputStream(path);
    } catch (PathNotAllowedException e) {
      throw new DataProblem(e.getMessage());
    }
  }

  private InputStream fetch(String location) throws IOException {
    URI uri = URI.create(location);
    for (int redirects = 0; ; redirects++) {
      outbound.check(uri);
      HttpResponse<InputStream> response = send(location, uri);
      Optional<String> next = response.headers().firstValue("Location");
      if (response.statusCode() / 100 != 3 || next.isEmpty()) {
        return body(location, response);
      }
      response.body().close();
      if (redirects == MAX_REDIRECTS) {
        throw new DataProblem("'" + location + "' redirects more than " + MAX_REDIRECTS + " times");
      }
      uri = uri.resolve(next.get());
    }
  }

  private HttpResponse<InputStream> send(String location, URI uri) throws IOException {
    HttpRequest request =
        HttpRequest.newBuilder(uri).timeout(timeout).GET().header("User-Agent", "kft").build();
    try {
      return http.send(request, HttpResponse.BodyHandlers.ofInputStream());
    } catch (HttpTimeoutException e) {
      throw new DataProblem(
          "'" + location + "' did not answer within " + timeout.toSeconds() + " s");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while fetching " + location, e);
    } catch (IOException e) {
      throw new DataProblem(
          "'"
              + location
              + "' could not be fetched: "
              + e.getClass().getSimpleName()
              + (e.getMessage() == null ? "" : " " + e.getMessage()));
    }
  }

  private InputStream body(String location, HttpResponse<InputStream> response) throws IOException {
    if (response.statusCode() != 200) {
      response.body().close();
      throw new DataProblem("'" + location + "' answered HTTP " + response.statusCode());
    }
    long declared = response.headers().firstValueAsLong("Content-Length").orElse(-1);
    if (declared > maxHttpBytes) {
      response.body().close();
      throw new DataProblem(tooLarge(location));
    }
    return new LimitedStream(response.body(), location);
  }

  private String tooLarge(String location) {
    return "'" + location + "' is larger than the limit of " + maxHttpBytes + " bytes";
  }

  /** Stops a download at the size limit, whatever the server said it would send. */
  private final class LimitedStream extends FilterInputStream {
    private final String location;
    private long read;

    LimitedStream(InputStream in, String location) {
      super(in);
      this.location = location;
    }

    @Override
    public int read() throws IOException {
      int b = super.read();
      count(b < 0 ? 0 : 1);
      return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
      int n = super.read(buffer, offset, length);
      count(Math.max(n, 0));
      return n;
    }

    private void count(int n) {
      read += n;
      if (read > maxHttpBytes) {
        throw new DataProblem(tooLarge(location));
      }
    }
  }
}
