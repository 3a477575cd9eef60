package dev.kft.registry.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.kft.job.JobSpecs;
import dev.kft.job.SpecLines;
import dev.kft.job.SpecSyntaxException;
import dev.kft.job.ValidatedSpec;
import dev.kft.registry.domain.CardHtml;
import dev.kft.registry.domain.JobCharts;
import dev.kft.registry.domain.ModelVersion;
import dev.kft.registry.domain.TrackedJob.TimelineEntry;
import dev.kft.registry.persistence.JobBoard;
import dev.kft.registry.persistence.JobEventFeed;
import dev.kft.registry.persistence.MetricSeries;
import dev.kft.registry.persistence.ModelRepository;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * What the web console reads besides the jobs and models APIs: pages of jobs with their progress, a
 * job's page without its whole metric history, its charts as SVG drawn here (curves thinned to what
 * a chart can show), a model's metric across versions, a version's card as HTML, and spec
 * validation with each problem's line.
 */
@Path("/api/console")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Console")
public class ConsoleResource {

  static final String SVG = "image/svg+xml";

  /** Validation changes nothing: the read token may ask for it. */
  static final String VALIDATE = "/api/console/validate";

  private static final int MAX_PAGE_SIZE = 100;
  private static final ObjectMapper SPEC_YAML =
      new YAMLMapper(
          YAMLFactory.builder()
              .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
              .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
              .build());
  private static final Set<String> CHARTS =
      Set.of("loss", "learning_rate", "evaluation", "confusion_matrix");

  private final JobBoard board;
  private final JobEventFeed feed;
  private final MetricSeries metrics;
  private final ModelRepository models;

  public ConsoleResource(
      JobBoard board, JobEventFeed feed, MetricSeries metrics, ModelRepository models) {
    this.board = board;
    this.feed = feed;
    this.metrics = metrics;
    this.models = models;
  }

  /** A job's page: where it stands, its spec, its events but progress reports, its version. */
  public record JobPage(
      JobBoard.Row job, String spec, List<TimelineEntry> timeline, Map<String, Object> version) {}

  /** One problem of a spec with the line it is on (0: the spec as a whole). */
  public record LocatedProblem(String path, String message, int line) {}

  /** A spec's validation: problems stop a submission, warnings do not. */
  public record Checked(
      boolean valid, List<LocatedProblem> problems, List<LocatedProblem> warnings) {}

  @GET
  @Path("jobs")
  @Operation(summary = "A page of jobs, newest first, each with its latest progress and ETA")
  public JobBoard.Page jobs(
      @QueryParam("status") String status,
      @QueryParam("page") @DefaultValue("1") int page,
      @QueryParam("size") @DefaultValue("25") int size)
      throws SQLException {
    if (page < 1) {
      throw Problem.badRequest("page: must be 1 or more, got " + page);
    }
    if (size < 1 || size > MAX_PAGE_SIZE) {
      throw Problem.badRequest("size: must be 1 to " + MAX_PAGE_SIZE + ", got " + size);
    }
    return board.page(status == null ? null : JobResource.status(status), page, size);
  }

  @GET
  @Path("jobs/{id}")
  @Operation(summary = "A job's page: status, progress, spec, events (without progress reports)")
  public JobPage job(@PathParam("id") String id) throws Exception {
    JobBoard.Row row = board.row(id).orElseThrow(() -> Problem.notFound("no job '" + id + "'"));
    List<TimelineEntry> timeline = timeline(id);
    // accepted jobs keep their spec; a job the registry saw first at its data has it there
    JsonNode spec = board.spec(id);
    for (TimelineEntry e : timeline) {
      spec = spec == null && e.type().equals("DatasetPrepared") ? e.event().get("spec") : spec;
    }
    Map<String, Object> version = new LinkedHashMap<>();
    models
        .byJob(id)
        .ifPresent(
            v -> {
              version.put("name", v.name());
              version.put("version", v.version());
              version.put("status", v.status());
            });
    return new JobPage(
        row,
        spec == null ? null : SPEC_YAML.writeValueAsString(spec),
        timeline,
        version.isEmpty() ? null : version);
  }

  @GET
  @Path("jobs/{id}/charts/{chart}.svg")
  @Produces(SVG)
  @Operation(
      summary =
          "A job's chart: loss, learning_rate, evaluation (marked with the best checkpoint and"
              + " the early-stopping decision) or confusion_matrix")
  public String chart(@PathParam("id") String id, @PathParam("chart") String chart)
      throws SQLException {
    if (!CHARTS.contains(chart)) {
      throw Problem.notFound("chart: must be one of " + CHARTS + ", got '" + chart + "'");
    }
    board.row(id).orElseThrow(() -> Problem.notFound("no job '" + id + "'"));
    if (chart.equals("learning_rate")) {
      return JobCharts.curves(
          "Learning rate", series(id, "learning rate", "train", "learning_rate"), List.of());
    }
    List<TimelineEntry> timeline = timeline(id);
    return switch (chart) {
      case "confusion_matrix" ->
          JobCharts.confusionMatrix(timeline)
              .orElseThrow(() -> Problem.notFound("job " + id + " has no confusion matrix yet"));
      case "loss" ->
          JobCharts.curves(
              "Loss",
              series(id, "training loss", "train", "loss", "validation loss", "eval", "eval_loss"),
              JobCharts.marks(timeline));
      default -> JobCharts.curves("Validation metrics", scores(id), JobCharts.marks(timeline));
    };
  }

  @POST
  @Path("validate")
  @Consumes({MediaType.APPLICATION_JSON, "application/yaml", "text/yaml", MediaType.TEXT_PLAIN})
  @Operation(
      summary =
          "Validates a spec as POST /api/jobs does, naming each problem's line; submits nothing")
  public Checked validate(String text) {
    String spec = text == null ? "" : text;
    try {
      ValidatedSpec checked = JobSpecs.validate(JobSpecs.parse(spec));
      SpecLines lines = SpecLines.of(spec);
      return new Checked(
          checked.valid(), located(checked.problems(), lines), located(checked.warnings(), lines));
    } catch (SpecSyntaxException e) {
      return new Checked(
          false, List.of(new LocatedProblem("", e.getMessage(), e.line())), List.of());
    }
  }

  @GET
  @Path("models/{name}/charts/{metric}.svg")
  @Produces(SVG)
  @Operation(
      summary = "One metric (accuracy, f1, ...) across a model's versions, validation and test")
  public String acrossVersions(@PathParam("name") String name, @PathParam("metric") String metric)
      throws SQLException {
    models.model(name).orElseThrow(() -> Problem.notFound("no model '" + name + "'"));
    return JobCharts.acrossVersions(name, metric, models.versions(name));
  }

  @GET
  @Path("models/{name}/versions/{version}/card")
  @Produces(MediaType.TEXT_HTML)
  @Operation(
      summary = "A version's model card as HTML, its pictures served from the version's files")
  public String card(@PathParam("name") String name, @PathParam("version") int version)
      throws SQLException, IOException {
    ModelVersion v =
        models
            .version(name, version)
            .filter(found -> found.artifactUri() != null)
            .orElseThrow(
                () -> Problem.notFound("model " + name + " v" + version + " has no files"));
    java.nio.file.Path readme =
        java.nio.file.Path.of(URI.create(v.artifactUri())).resolve("README.md");
    if (!Files.isRegularFile(readme)) {
      throw Problem.notFound("model " + name + " v" + version + " has no model card");
    }
    return CardHtml.render(
        Files.readString(readme, StandardCharsets.UTF_8),
        "/api/2.0/mlflow-artifacts/artifacts/"
            + MlflowArtifactResource.uri(v).substring("mlflow-artifacts:/".length()));
  }

  private List<TimelineEntry> timeline(String id) throws SQLException {
    return feed.milestones(id).stream()
        .map(e -> new TimelineEntry(e.type(), e.occurredAt(), e.event()))
        .toList();
  }

  /** Series by legend name, from (name, kind, metric) triples. */
  private Map<String, List<double[]>> series(String id, String... triples) throws SQLException {
    Map<String, List<double[]>> series = new LinkedHashMap<>();
    for (int i = 0; i < triples.length; i += 3) {
      series.put(triples[i], metrics.points(id, triples[i + 1], triples[i + 2]));
    }
    return series;
  }

  private Map<String, List<double[]>> scores(String id) throws SQLException {
    Map<String, List<double[]>> series = new LinkedHashMap<>();
    for (String name : metrics.names(id, "eval")) {
      if (JobCharts.scoreLike(name)) {
        series.put(name, metrics.points(id, "eval", name));
      }
    }
    return series;
  }

  private static List<LocatedProblem> located(List<dev.kft.job.Problem> problems, SpecLines lines) {
    return problems.stream()
        .map(p -> new LocatedProblem(p.path(), p.message(), lines.lineOf(p.path())))
        .toList();
  }
}
