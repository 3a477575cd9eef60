package dev.kft.bench;

import java.util.List;

/**
 * SQL that fills a registry as a busy one looks: jobs with progress reports, evaluations and metric
 * histories (one long job with ten thousand logged steps), and a model with 50 versions and an
 * alias history. Written against the registry's own tables, after its migrations ran.
 */
final class ConsoleSeed {

  static final String BIG_JOB = job(0);

  private static final String ID = "'bench-' || lpad(j::text, 4, '0')";
  private static final String TRAIN =
      "array['loss', 'learning_rate', 'grad_norm', 'samples_per_second', 'epoch']";
  private static final String EVAL =
      "array['eval_loss', 'eval_accuracy', 'eval_f1', 'eval_mcc', 'eval_precision', 'eval_recall',"
          + " 'eval_roc_auc', 'eval_f1_macro', 'eval_runtime', 'eval_samples_per_second']";

  private ConsoleSeed() {}

  static String job(int n) {
    return String.format("bench-%04d", n);
  }

  /** Jobs with their progress reports, evaluations and metric histories. */
  static List<String> jobs(int jobs) {
    String each = "from generate_series(0, " + (jobs - 1) + ") j";
    return List.of(
        "insert into job (job_id, status, model_name, created_at, updated_at) select "
            + ID
            + ", case when j % 50 = 1 then 'TRAINING' else 'COMPLETED' end, 'bench-model',"
            + " now() - j * interval '1 minute', now() - j * interval '1 minute' "
            + each,
        // progress reports: 2,000 for the long job, 20 for each other one
        "insert into job_event (event_id, job_id, type, occurred_at, payload) select"
            + " gen_random_uuid(), "
            + ID
            + ", 'TrainingProgress', now() - j * interval '1 minute' + s * interval '1 second',"
            + " jsonb_build_object('step', s * 5, 'totalSteps', 10010, 'epoch', s / 200.0,"
            + " 'loss', 1.0 / s, 'learningRate', 0.001, 'gradNorm', 1.0, 'samplesPerSecond', 64) "
            + each
            + " cross join lateral generate_series(1, case when j = 0 then 2000 else 20 end) s",
        "insert into job_event (event_id, job_id, type, occurred_at, payload) select"
            + " gen_random_uuid(), "
            + ID
            + ", 'CheckpointEvaluated', now() - j * interval '1 minute' + s * interval '9 second',"
            + " jsonb_build_object('step', s * 100, 'best', s = 1, 'patienceLeft', 1,"
            + " 'metrics', jsonb_build_object('eval_accuracy', 0.8, 'eval_f1', 0.79),"
            + " 'confusionMatrix', jsonb_build_object('labels', jsonb_build_array('差评', '好评'),"
            + " 'counts', jsonb_build_array(jsonb_build_array(40, 10), jsonb_build_array(8, 42)))) "
            + each
            + " cross join lateral generate_series(1, case when j = 0 then 101 else 2 end) s",
        "insert into job_metric (job_id, kind, step, name, value) select "
            + ID
            + ", 'train', s, n, 1.0 / s + random() * 0.1 "
            + each
            + " cross join lateral generate_series(1, case when j = 0 then 10010 else 7 end) s"
            + " cross join unnest("
            + TRAIN
            + ") n",
        "insert into job_metric (job_id, kind, step, name, value) select "
            + ID
            + ", 'eval', s * 100, n, 0.5 + random() * 0.4 "
            + each
            + " cross join lateral generate_series(1, case when j = 0 then 101 else 2 end) s"
            + " cross join unnest(("
            + EVAL
            + ")[1:case when j = 0 then 10 else 7 end]) n");
  }

  /** A model with 50 versions, from jobs 1 to 50, and its alias moved to each in turn. */
  static List<String> model() {
    return List.of(
        "insert into registered_model (name, description, created_at, updated_at)"
            + " values ('bench-model', 'a model with many versions', now(), now())",
        "insert into model_version (name, version, status, job_id, source_uri, eval_metrics,"
            + " test_metrics, lineage, created_at) select 'bench-model', v, 'READY', "
            + ID.replace("j::", "v::")
            + ", 'file:///bench/' || v, jsonb_build_object('eval_f1', 0.7 + v / 1000.0),"
            + " jsonb_build_object('test_f1', 0.69 + v / 1000.0), '{}'::jsonb,"
            + " now() - (50 - v) * interval '1 hour' from generate_series(1, 50) v",
        "insert into alias_history (name, alias, from_version, to_version, actor, at) select"
            + " 'bench-model', 'champion', nullif(v - 1, 0), v, 'operator',"
            + " now() - (50 - v) * interval '1 hour' from generate_series(1, 50) v");
  }
}
