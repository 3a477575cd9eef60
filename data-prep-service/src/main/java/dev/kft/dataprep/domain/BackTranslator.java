package dev.kft.dataprep.domain;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.kft.json.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Translates texts to a pivot language and back through a LibreTranslate server, for
 * back-translation augmentation. It speaks LibreTranslate's {@code /translate} API, in chunks of up
 * to {@value #CHUNK} texts:
 *
 * <pre>
 * POST {endpoint}/translate   Content-Type: application/json
 * {"q": ["...", ...], "source": "zh", "target": "en", "format": "text", "api_key": "..."}
 * 200 {"translatedText": ["...", ...]}      same number of texts, same order
 * 4xx/5xx {"error": "..."}
 * </pre>
 */
public final class BackTranslator {

  static final int CHUNK = 32;

  private final URI endpoint;
  private final String sourceLanguage;
  private final String pivotLanguage;
  private final Duration timeout;
  private final Optional<String> apiKey;
  private final OutboundPolicy outbound;
  private final HttpClient http;

  /**
   * @param server the LibreTranslate server, or its {@code /translate} URL
   * @param apiKey the key the server wants, if it wants one
   */
  public BackTranslator(
      URI server,
      String sourceLanguage,
      String pivotLanguage,
      Duration timeout,
      Optional<String> apiKey,
      OutboundPolicy outbound) {
    String url = server.toString().replaceAll("/+$", "");
    this.endpoint = URI.create(url.endsWith("/translate") ? url : url + "/translate");
    this.apiKey = apiKey;
    this.outbound = outbound;
    this.sourceLanguage = sourceLanguage;
    this.pivotLanguage = pivotLanguage;
    this.timeout = timeout;
    this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
  }

  /** Each text translated to the pivot language and back. */
  public List<String> roundTrip(List<String> texts) {
    return translate(
        translate(texts, sourceLanguage, pivotLanguage), pivotLanguage, sourceLanguage);
  }

  List<String> translate(List<String> texts, String from, String to) {
    List<String> out = new ArrayList<>();
    for (int start = 0; start < texts.size(); start += CHUNK) {
      List<String> chunk = texts.subList(start, Math.min(texts.size(), start + CHUNK));
      out.addAll(call(chunk, from, to));
    }
    return out;
  }

  private List<String> call(List<String> texts, String from, String to) {
    // checked per call: what the name resolves to may change
    outbound.check(endpoint);
    try {
      Map<String, Object> fields = new LinkedHashMap<>();
      fields.put("q", texts);
      fields.put("source", from);
      fields.put("target", to);
      fields.put("format", "text");
      apiKey.ifPresent(key -> fields.put("api_key", key));
      HttpRequest request =
          HttpRequest.newBuilder(endpoint)
              .timeout(timeout)
              .header("Content-Type", "application/json")
              .POST(HttpRequest.BodyPublishers.ofByteArray(Json.mapper().writeValueAsBytes(fields)))
              .build();
      HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
      if (response.statusCode() != 200) {
        throw new DataProblem(
            "LibreTranslate server "
                + endpoint
                + " answered "
                + response.statusCode()
                + hint(response.statusCode()));
      }
      JsonNode answer = Json.mapper().readTree(response.body());
      JsonNode translations = answer.path("translatedText");
      if (!translations.isArray() || translations.size() != texts.size()) {
        throw new DataProblem(
            "LibreTranslate server "
                + endpoint
                + " did not return "
                + texts.size()
                + " translations in translatedText");
      }
      List<String> result = new ArrayList<>();
      translations.forEach(t -> result.add(t.asText()));
      return result;
    } catch (JsonProcessingException e) {
      // the parser's message quotes the answer, which is not for the job's author to read
      throw new DataProblem("LibreTranslate server " + endpoint + " did not answer with JSON");
    } catch (IOException e) {
      throw new DataProblem("LibreTranslate server " + endpoint + " failed: " + e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new DataProblem("interrupted while calling " + endpoint);
    }
  }

  /**
   * What a refusal most likely means. The server's own words are not repeated: they would carry
   * whatever an internal address answered into the job's events.
   */
  private static String hint(int status) {
    return switch (status) {
      case 400 -> " (a language it does not offer? check source_language and pivot_language)";
      case 403 -> " (it wants an API key, or refused kft.data-prep.translation-api-key)";
      case 429 -> " (its rate limit: lower the ratio or raise the server's limits)";
      default -> "";
    };
  }
}
