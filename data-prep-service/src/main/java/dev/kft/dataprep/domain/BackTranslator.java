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
import java.util.List;
import java.util.Map;

/**
 * Translates texts to a pivot language and back through a translation service, for back-translation
 * augmentation. The service's API, in chunks of up to {@value #CHUNK} texts:
 *
 * <pre>
 * POST {endpoint}   Content-Type: application/json
 * {"texts": ["...", ...], "source": "zh", "target": "en"}
 * 200 {"translations": ["...", ...]}      same number of texts, same order
 * </pre>
 */
public final class BackTranslator {

  static final int CHUNK = 32;

  private final URI endpoint;
  private final String sourceLanguage;
  private final String pivotLanguage;
  private final Duration timeout;
  private final OutboundPolicy outbound;
  private final HttpClient http;

  public BackTranslator(
      URI endpoint,
      String sourceLanguage,
      String pivotLanguage,
      Duration timeout,
      OutboundPolicy outbound) {
    this.endpoint = endpoint;
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
      byte[] body =
          Json.mapper().writeValueAsBytes(Map.of("texts", texts, "source", from, "target", to));
      HttpRequest request =
          HttpRequest.newBuilder(endpoint)
              .timeout(timeout)
              .header("Content-Type", "application/json")
              .POST(HttpRequest.BodyPublishers.ofByteArray(body))
              .build();
      HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
      if (response.statusCode() != 200) {
        throw new DataProblem(
            "back-translation service " + endpoint + " answered " + response.statusCode());
      }
      JsonNode translations = Json.mapper().readTree(response.body()).path("translations");
      if (!translations.isArray() || translations.size() != texts.size()) {
        throw new DataProblem(
            "back-translation service "
                + endpoint
                + " did not return "
                + texts.size()
                + " translations");
      }
      List<String> result = new ArrayList<>();
      translations.forEach(t -> result.add(t.asText()));
      return result;
    } catch (JsonProcessingException e) {
      // the parser's message quotes the answer, which is not for the job's author to read
      throw new DataProblem("back-translation service " + endpoint + " did not answer with JSON");
    } catch (IOException e) {
      throw new DataProblem("back-translation service " + endpoint + " failed: " + e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new DataProblem("interrupted while calling " + endpoint);
    }
  }
}
