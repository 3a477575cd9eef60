package dev.kft.inference.rest;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kft.inference.config.InferenceConfig;
import dev.kft.inference.domain.Classifier.Score;
import dev.kft.inference.domain.LoadedModels;
import dev.kft.inference.domain.ModelCatalog;
import dev.kft.inference.domain.ModelRef;
import dev.kft.inference.domain.UnknownModelException;
import dev.kft.inference.domain.UnsupportedModelException;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.util.List;

/**
 * Classifies texts with a registered version: {@code POST /api/predict/{model}} where {@code model}
 * is {@code NAME}, {@code NAME@ALIAS} or {@code NAME:VERSION}; answers per input its labels with
 * their probabilities, most probable first, and the version that answered.
 */
@Path("/api/predict")
public class PredictResource {

  /** The answer: which version answered, and per input its labels by probability. */
  public record Prediction(String model, int version, List<List<Score>> predictions) {}

  private final ModelCatalog catalog;
  private final LoadedModels models;
  private final InferenceConfig config;
  private final Timer latency;
  private final DistributionSummary batchSizes;

  public PredictResource(
      ModelCatalog catalog, LoadedModels models, InferenceConfig config, MeterRegistry registry) {
    this.catalog = catalog;
    this.models = models;
    this.config = config;
    this.latency =
        Timer.builder("kft.inference.request.duration")
            .description("Time to answer a prediction request, loading included")
            .publishPercentileHistogram()
            .register(registry);
    this.batchSizes =
        DistributionSummary.builder("kft.inference.request.inputs")
            .description("Inputs per prediction request")
            .register(registry);
    registry.gauge("kft.inference.models.loaded", models, LoadedModels::size);
    registry.more().counter("kft.inference.model.loads", List.of(), models, LoadedModels::loads);
  }

  @POST
  @Path("{model}")
  @Consumes(MediaType.APPLICATION_JSON)
  @Produces(MediaType.APPLICATION_JSON)
  public Prediction predict(@PathParam("model") String model, JsonNode body) throws IOException {
    Timer.Sample sample = Timer.start();
    try {
      PredictionRequest request =
          PredictionRequest.read(body, config.maxInputs(), config.maxInputChars());
      ModelCatalog.Version version = catalog.resolve(ModelRef.parse(model));
      batchSizes.record(request.inputs().size());
      return new Prediction(
          version.name(),
          version.version(),
          models.predict(version, request.inputs(), request.topK()));
    } catch (IllegalArgumentException e) {
      throw Problem.badRequest(e.getMessage());
    } catch (UnknownModelException e) {
      throw new Problem(Response.Status.NOT_FOUND, e.getMessage());
    } catch (UnsupportedModelException e) {
      throw new Problem(Response.Status.NOT_IMPLEMENTED, e.getMessage());
    } finally {
      sample.stop(latency);
    }
  }
}
