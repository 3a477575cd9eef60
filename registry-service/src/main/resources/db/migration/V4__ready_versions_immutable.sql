-- A READY version is a fact: what was registered, from which job, data and files, with which
-- metrics. Nothing may rewrite or delete it; only its tags may change. The registry's code never
-- tries; this keeps it so for a bug, a hand-written statement or anyone holding the service's
-- database user.
create function model_version_ready_is_immutable() returns trigger as $$
begin
  if tg_op = 'DELETE' then
    if old.status = 'READY' then
      raise exception 'model version %:% is READY and cannot be deleted', old.name, old.version
        using errcode = 'check_violation';
    end if;
    return old;
  end if;
  if old.status = 'READY' and (row(new.name, new.version, new.status, new.status_message,
      new.job_id, new.source_uri, new.artifact_uri, new.archive_uri, new.sha256,
      new.archive_sha256, new.size_bytes, new.method, new.parameters, new.dataset_sha256,
      new.eval_metrics, new.test_metrics, new.lineage, new.created_at)
    is distinct from row(old.name, old.version, old.status, old.status_message, old.job_id,
      old.source_uri, old.artifact_uri, old.archive_uri, old.sha256, old.archive_sha256,
      old.size_bytes, old.method, old.parameters, old.dataset_sha256, old.eval_metrics,
      old.test_metrics, old.lineage, old.created_at)) then
    raise exception 'model version %:% is READY and cannot change (only its tags can)',
      old.name, old.version using errcode = 'check_violation';
  end if;
  return new;
end;
$$ language plpgsql;

create trigger model_version_ready_is_immutable
  before update or delete on model_version
  for each row execute function model_version_ready_is_immutable();
