package dev.kft.cli;

import dev.kft.events.Event;
import dev.kft.events.JobAccepted;
import dev.kft.events.SubmitJob;
import dev.kft.events.Topics;
import dev.kft.job.JobSpecs;
import dev.kft.json.Json;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The catalogue of bad inputs a user can give kft, each with the words its one error must hold (the
 * field or the record it is about). Listed in {@code docs/reliability.md}; checked against the
 * running stack by {@link BadInputCheck}.
 */
final class BadInputCatalogue {

  /** Where a bad input goes in. */
  enum Kind {
    /** A job spec, submitted on {@code kft.jobs}: one {@code JobRejected} or {@code JobFailed}. */
    SPEC,
    /** A data file (written under the stack's data root) for an otherwise good spec. */
    DATA,
    /** A raw record on {@code kft.jobs}: parked in {@code kft.jobs.dlq} with {@code kft-error}. */
    RECORD,
    /** {@code METHOD PATH [BODY]} to the registry (with the token when {@code auth}). */
    HTTP,
    /** Arguments of the {@code kft} command (a file argument named {@code SPEC} gets the input). */
    CLI
  }

  /** One bad input: {@code input} is a spec, file content, record value, request or command. */
  record Case(String name, Kind kind, String input, String error) {}

  /** A valid job for the stack's tiny model; each spec case changes one thing in it. */
  static final String GOOD =
      """
      model: {source: bert-base-chinese, init: random, max_length: 32,
        config_overrides: {num_hidden_layers: 1, hidden_size: 32, num_attention_heads: 2,
          intermediate_size: 64}}
      dataset: {uri: chnsenticorp/chnsenticorp_htl_all.csv, text_column: review,
        label_column: label}
      training: {max_steps: 5, per_device_train_batch_size: 8}
      registry: {model_name: catalogue}
      """;

  private BadInputCatalogue() {}

  private static Case spec(String name, String from, String to, String error) {
    if (!GOOD.contains(from)) {
      throw new IllegalArgumentException(from + " is not in the good spec");
    }
    return new Case(name, Kind.SPEC, GOOD.replace(from, to), error);
  }

  private static Case training(String name, String settings, String error) {
    return spec(name, "max_steps: 5", "max_steps: 5, " + settings, error);
  }

  /** The catalogue. */
  static List<Case> cases() {
    List<Case> all = new ArrayList<>();
    all.addAll(specs());
    all.addAll(data());
    all.addAll(records());
    all.addAll(requests());
    all.addAll(commands());
    return all;
  }

  private static List<Case> specs() {
    return List.of(
        training("negative learning rate", "learning_rate: -1", "training.learning_rate"),
        training("learning rate not a number", "learning_rate: fast", "training.learning_rate"),
        training("misspelt key", "learning_rat: 0.001", "did you mean 'learning_rate'"),
        training("no epochs", "num_train_epochs: 0", "training.num_train_epochs"),
        training("empty batch", "per_device_eval_batch_size: 0", "per_device_eval_batch_size"),
        spec("negative max_steps", "max_steps: 5", "max_steps: -5", "training.max_steps"),
        training("unknown eval strategy", "eval_strategy: sometimes", "training.eval_strategy"),
        training("unknown scheduler", "lr_scheduler_type: bogus", "training.lr_scheduler_type"),
        training("warmup over 1", "warmup_ratio: 2", "training.warmup_ratio"),
        training(
            "best model off the save steps",
            "eval_strategy: steps, eval_steps: 3, save_steps: 5, load_best_model_at_end: true",
            "training.save_steps"),
        training(
            "batch too big for one record",
            "per_device_eval_batch_size: 40960",
            "training.per_device_eval_batch_size"),
        spec("no model source", "source: bert-base-chinese, ", "", "model.source"),
        spec("unknown init", "init: random", "init: sometimes", "model.init"),
        spec("zero max_length", "max_length: 32", "max_length: 0", "model.max_length"),
        spec(
            "labels and num_labels disagree",
            "max_length: 32",
            "max_length: 32, labels: [neg, pos], num_labels: 3",
            "model.num_labels"),
        spec("no dataset uri", "uri: chnsenticorp/chnsenticorp_htl_all.csv, ", "", "dataset.uri"),
        spec(
            "split not summing to 1",
            "label_column: label",
            "label_column: label, split: {train: 0.7}",
            "dataset.split"),
        spec("no model name", "{model_name: catalogue}", "{}", "registry.model_name"),
        spec(
            "approval not an expression",
            "{model_name: catalogue}",
            "{model_name: catalogue, approval: 'eval_accuracy >>= 0.5'}",
            "registry.approval"),
        spec("unknown method", "registry:", "method: {type: qlora}\nregistry:", "method.type"),
        spec(
            "LoRA rank 0",
            "registry:",
            "method: {type: lora, lora: {r: 0}}\nregistry:",
            "method.lora.r"),
        spec(
            "LoRA target matching nothing",
            "registry:",
            "method: {type: lora, lora: {target_modules: 'foo.*bar'}}\nregistry:",
            "method.lora.target_modules"),
        spec("misspelt section", "training:", "trainng:", "trainng"),
        spec("not a mapping", GOOD, "[1, 2]", "mapping"),
        spec(
            "max_length over the model's positions",
            "max_length: 32",
            "max_length: 1024",
            "model.max_length"),
        spec(
            "unknown model",
            "source: bert-base-chinese",
            "source: no-such-model",
            "no-such-model"));
  }

  /** A data file holding {@code content} ({@code latin1:} first: written in ISO-8859-1). */
  private static Case data(String name, String content, String error) {
    return new Case(name, Kind.DATA, content, error);
  }

  /** A dataset at {@code location}. */
  private static Case location(String name, String location, String error) {
    return new Case(name, Kind.DATA, "uri:" + location, error);
  }

  private static List<Case> data() {
    return List.of(
        data("empty file", "", "is empty"),
        data("header only", "label,review\n", "holds no examples"),
        data("text column missing", "label,text\n1,好\n0,差\n", "dataset.text_column"),
        data("label column missing", "stars,review\n1,好\n0,差\n", "dataset.label_column"),
        data("one class", "label,review\n" + "1,很好\n".repeat(5), "one class only"),
        data("unbalanced quote", "label,review\n1,\"不错\n0,很差\n", "unbalanced quote"),
        data(
            "not UTF-8",
            "latin1:label,review\n1,\u00e9te\n",
            "line 2: bytes that are not valid text"),
        data("too few rows to split", "label,review\n1,好\n0,差\n1,行\n", "dataset.split.validation"),
        new Case(
            "label not declared",
            Kind.SPEC,
            GOOD.replace("max_length: 32", "max_length: 32, labels: [neg, pos]"),
            "not one of the declared labels [neg, pos]"),
        location("missing file", "chnsenticorp/no-such-file.csv", "does not exist"),
        location("file outside the data roots", "/etc/hostname", "outside the allowed roots"),
        location(
            "URL on the service's own machine",
            "http://127.0.0.1:9/data.csv",
            "'http://127.0.0.1:9/data.csv' is refused: 127.0.0.1 is 127.0.0.1, a loopback address"),
        location(
            "URL of the cloud's metadata service",
            "http://169.254.169.254/latest/meta-data/",
            "169.254.169.254, a link-local (cloud metadata) address"));
  }

  private static Case record(String name, String value, String error) {
    return new Case(name, Kind.RECORD, value, error);
  }

  private static List<Case> records() {
    String submit = submit("JOBID");
    return List.of(
        record("not JSON", "not json {", "not a kft event on kft.jobs"),
        record("empty record", "", "empty record: expected a SubmitJob"),
        record("not a SubmitJob", accepted(), "expected a SubmitJob, got JobAccepted"),
        record("job id a path", submit.replace("JOBID", "../escape"), "SubmitJob.jobId"),
        record("job id too long", submit.replace("JOBID", "x".repeat(200)), "SubmitJob.jobId"),
        record("job id blank", submit.replace("JOBID", " "), "SubmitJob.jobId"));
  }

  private static String submit(String jobId) {
    try {
      return Json.mapper()
          .writeValueAsString(
              new SubmitJob(
                  Event.newId(), jobId, Instant.now(), JobSpecs.parse(GOOD), "catalogue"));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static String accepted() {
    try {
      return new String(
          new dev.kft.events.EventSerializer()
              .serialize(
                  Topics.JOBS,
                  new JobAccepted(
                      Event.newId(), "c-" + UUID.randomUUID(), Instant.now(), null, null)),
          StandardCharsets.UTF_8);
    } catch (RuntimeException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Case http(String name, String request, String error) {
    return new Case(name, Kind.HTTP, request, error);
  }

  private static List<Case> requests() {
    return List.of(
        http(
            "unknown model",
            "AUTH GET /api/models/no-such-model",
            "404 no model named 'no-such-model'"),
        http("version not a number", "AUTH GET /api/models/m/versions/abc", "400 version"),
        http("unknown job", "AUTH GET /api/jobs/no-such-job", "404 no job 'no-such-job'"),
        http("unknown job status", "AUTH GET /api/jobs?status=weird", "400 status: must be one of"),
        http("tag without value", "AUTH GET /api/models?tag=novalue", "400 tag: must be key=value"),
        http(
            "lineage read without token",
            "GET /api/models",
            "401 this request needs 'Authorization: Bearer <token>'"),
        http("alias move without token", "PUT /api/models/m/aliases/prod {\"version\": 1}", "401"),
        http(
            "alias name not allowed",
            "AUTH PUT /api/models/m/aliases/Bad!  {\"version\": 1}",
            "400 alias"),
        http("alias move without version", "AUTH PUT /api/models/m/aliases/prod {}", "400 version"),
        http("cancel of an unknown job", "AUTH POST /api/jobs/no-such-job/cancel", "404 no job"),
        http(
            "scoring with a malformed model",
            "AUTH POST /api/scoring {\"name\": \"s1\", \"model\": \"m@@x\", \"from\": \"a\","
                + " \"to\": \"b\"}",
            "400 model: must be NAME, NAME@ALIAS or NAME:VERSION"),
        http(
            "scoring into a kft topic",
            "AUTH POST /api/scoring {\"name\": \"s1\", \"model\": \"m@live\", \"from\": \"a\","
                + " \"to\": \"kft.models\"}",
            "400 to: kft.models is one of kft's own topics"),
        http(
            "scoring with an unknown model",
            "AUTH POST /api/scoring {\"name\": \"s1\", \"model\": \"nothing@live\", \"from\":"
                + " \"a\", \"to\": \"b\"}",
            "404 model: no model named 'nothing'"),
        http(
            "removing an unknown deployment",
            "AUTH DELETE /api/scoring/nothing",
            "404 no scoring deployment named 'nothing'"));
  }

  private static Case command(String name, String args, String input, String error) {
    return new Case(name, Kind.CLI, args + "\n" + input, error);
  }

  private static List<Case> commands() {
    return List.of(
        command("YAML syntax", "submit SPEC", "model: {source: [x\n", "line 1, column "),
        command(
            "key given twice",
            "submit SPEC",
            GOOD.replace("max_steps: 5", "max_steps: 5, max_steps: 50"),
            "the key 'max_steps' is given twice"),
        command("job id a path", "submit SPEC --job-id ../x", GOOD, "--job-id '../x'"),
        command(
            "invalid spec before it is sent",
            "submit SPEC",
            GOOD.replace("max_steps: 5", "max_steps: 5, learning_rate: -1"),
            "training.learning_rate"),
        command("download of an unknown model", "download no-such-model@prod OUT", "", "no model"),
        command("serve without topics", "serve m@live", "", "give MODEL, --from and --to"));
  }
}
