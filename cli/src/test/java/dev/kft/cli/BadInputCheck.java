package dev.kft.cli;

import dev.kft.cli.BadInputCatalogue.Case;
import dev.kft.cli.BadInputCatalogue.Kind;
import dev.kft.events.DatasetPrepared;
import dev.kft.events.Event;
import dev.kft.events.EventDeserializer;
import dev.kft.events.JobEvent;
import dev.kft.events.JobFailed;
import dev.kft.events.JobRejected;
import dev.kft.events.SubmitJob;
import dev.kft.events.Topics;
import dev.kft.io.FileTrees;
import dev.kft.job.JobSpecs;
import dev.kft.json.Json;
import dev.kft.testing.KafkaTestClient;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

/**
 * Gives each input of the {@link BadInputCatalogue} to a running stack and reads back the one error
 * it ends in: the job's {@code JobRejected} or {@code JobFailed}, the {@code kft-error} header of
 * the parked record, the registry's answer, the command's output.
 */
final class BadInputCheck {

  private final Settings settings;
  private final KafkaTestClient kafka;
  private final Path scratch;
  private final String run = UUID.randomUUID().toString().substring(0, 8);

  BadInputCheck(Settings settings, Path scratch) {
    this.settings = settings;
    this.kafka = TestStack.kafkaAdmin(settings);
    this.scratch = scratch;
  }

  /** The error each case ended in (null when it ended in none), by case. */
  Map<Case, String> run(List<Case> cases) throws Exception {
    Path data = settings.root().resolve("data").resolve("catalogue-" + run);
    Files.createDirectories(data);
    try {
      Map<Case, String> keys = new LinkedHashMap<>();
      for (int i = 0; i < cases.size(); i++) {
        Case c = cases.get(i);
        String key = "catalogue-" + run + "-" + i;
        switch (c.kind()) {
          case SPEC -> submit(key, c.input());
          case DATA -> submit(key, dataSpec(data, i, c.input()));
          case RECORD ->
              kafka.publishRaw(Topics.JOBS, key, c.input().getBytes(StandardCharsets.UTF_8));
          default -> {}
        }
        keys.put(c, key);
      }
      Map<Case, String> errors = new LinkedHashMap<>();
      for (Case c : cases) {
        errors.put(
            c,
            switch (c.kind()) {
              case HTTP -> request(c.input());
              case CLI -> command(c.input());
              default -> null;
            });
      }
      awaitJobEnds(cases, keys, errors);
      return errors;
    } finally {
      FileTrees.delete(data);
    }
  }

  private void submit(String jobId, String spec) throws Exception {
    SubmitCommand.publish(
        settings,
        new SubmitJob(Event.newId(), jobId, Instant.now(), JobSpecs.parse(spec), "catalogue"));
  }

  /** The good spec reading a file holding {@code input}, or the location after {@code uri:}. */
  private String dataSpec(Path data, int i, String input) throws Exception {
    String uri;
    if (input.startsWith("uri:")) {
      uri = input.substring(4);
    } else {
      boolean latin1 = input.startsWith("latin1:");
      Path file = data.resolve(i + ".csv");
      Files.writeString(
          file,
          latin1 ? input.substring(7) : input,
          latin1 ? StandardCharsets.ISO_8859_1 : StandardCharsets.UTF_8);
      uri = data.getFileName() + "/" + file.getFileName();
    }
    return BadInputCatalogue.GOOD.replace("chnsenticorp/chnsenticorp_htl_all.csv", uri);
  }

  /** Waits until every job case ended; its error is the text of every end it has (one expected). */
  private void awaitJobEnds(List<Case> cases, Map<Case, String> keys, Map<Case, String> errors)
      throws InterruptedException {
    Instant deadline = Instant.now().plus(Duration.ofMinutes(4));
    while (true) {
      Map<String, List<String>> ends = ends();
      Map<String, String> parked = parked();
      boolean done = true;
      for (Case c : cases) {
        String key = keys.get(c);
        if (c.kind() == Kind.RECORD) {
          errors.put(c, parked.get(key));
          done &= parked.containsKey(key);
        } else if (c.kind() == Kind.SPEC || c.kind() == Kind.DATA) {
          List<String> end = ends.getOrDefault(key, List.of());
          errors.put(c, end.isEmpty() ? null : String.join(" | ", end));
          done &= !end.isEmpty();
        }
      }
      if (done || Instant.now().isAfter(deadline)) {
        return;
      }
      Thread.sleep(2000);
    }
  }

  /** Per job, its rejections and failures (or that its data was prepared, which is no error). */
  private Map<String, List<String>> ends() {
    Map<String, List<String>> ends = new LinkedHashMap<>();
    EventDeserializer reader = new EventDeserializer();
    for (ConsumerRecord<String, byte[]> r : kafka.readAll(Topics.JOB_EVENTS)) {
      Event e;
      try {
        e = reader.deserialize(Topics.JOB_EVENTS, r.value());
      } catch (RuntimeException notAnEvent) {
        continue;
      }
      String text = null;
      if (e instanceof JobRejected j) {
        text = "rejected: " + j.reason() + " " + j.problems();
      } else if (e instanceof JobFailed j) {
        text = "failed: " + j.reason();
      } else if (e instanceof DatasetPrepared) {
        text = "prepared without an error";
      }
      if (text != null) {
        ends.computeIfAbsent(((JobEvent) e).jobId(), k -> new ArrayList<>()).add(text);
      }
    }
    return ends;
  }

  /** The {@code kft-error} of each record data-prep parked, by record key. */
  private Map<String, String> parked() {
    Map<String, String> parked = new LinkedHashMap<>();
    for (ConsumerRecord<String, byte[]> r : kafka.readAll(Topics.JOBS_DLQ)) {
      Header error = r.headers().lastHeader(Topics.ERROR_HEADER);
      if (error != null && r.key() != null) {
        parked.merge(
            r.key(), new String(error.value(), StandardCharsets.UTF_8), (a, b) -> a + " | " + b);
      }
    }
    return parked;
  }

  /** {@code [AUTH] METHOD PATH [BODY]} to the registry: {@code <status> <detail>}. */
  private String request(String line) throws Exception {
    boolean auth = line.startsWith("AUTH ");
    String[] parts = (auth ? line.substring(5) : line).split(" ", 3);
    String sent = parts.length > 2 ? parts[2].trim() : "";
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(settings.registry() + parts[1]))
            .timeout(Duration.ofSeconds(30))
            .header("Content-Type", "application/json")
            .method(parts[0], HttpRequest.BodyPublishers.ofString(sent));
    if (auth) {
      request.header("Authorization", "Bearer " + settings.token());
    }
    HttpResponse<String> response =
        HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
    String body = response.body();
    // the registry answers errors as RFC 9457 problem details
    String detail =
        body.startsWith("{") ? Json.mapper().readTree(body).path("detail").asText(body) : body;
    return response.statusCode() + " " + detail;
  }

  /**
   * The {@code kft} command's output; {@code SPEC} in the arguments (first line) is a file holding
   * the rest, {@code OUT} a fresh directory. A command that succeeds ends in no error.
   */
  private String command(String input) throws Exception {
    int newline = input.indexOf('\n');
    Path spec =
        Files.writeString(
            scratch.resolve("catalogue-" + UUID.randomUUID() + ".yaml"),
            input.substring(newline + 1));
    Path out = scratch.resolve("catalogue-out-" + UUID.randomUUID());
    String[] args =
        input
            .substring(0, newline)
            .replace("SPEC", spec.toString())
            .replace("OUT", out.toString())
            .split(" ");
    PrintStream savedOut = System.out;
    PrintStream savedErr = System.err;
    ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    PrintStream capture = new PrintStream(buffer, true, StandardCharsets.UTF_8);
    System.setOut(capture);
    System.setErr(capture);
    int exit;
    try {
      exit = Kft.run(args);
    } finally {
      System.setOut(savedOut);
      System.setErr(savedErr);
    }
    return exit == 0 ? null : "exit " + exit + ": " + buffer.toString(StandardCharsets.UTF_8);
  }
}
