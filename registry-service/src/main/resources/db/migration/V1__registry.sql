-- Registered models and their versions, in MLflow's vocabulary.
create table registered_model (
  name        text primary key,
  description text,
  tags        jsonb not null default '{}'::jsonb,
  created_at  timestamptz not null,
  updated_at  timestamptz not null
);

create table model_version (
  name              text not null references registered_model (name),
  version           integer not null,
  status            text not null check (status in ('PENDING_REGISTRATION', 'READY', 'FAILED_REGISTRATION')),
  status_message    text,
  job_id            text not null unique,
  source_uri        text not null,
  artifact_uri      text,
  archive_uri       text,
  sha256            text,
  archive_sha256    text,
  size_bytes        bigint,
  tags              jsonb not null default '{}'::jsonb,
  method            text,
  parameters        jsonb,
  dataset_sha256    text,
  eval_metrics      jsonb not null default '{}'::jsonb,
  test_metrics      jsonb not null default '{}'::jsonb,
  lineage           jsonb not null,
  created_at        timestamptz not null,
  primary key (name, version)
);

create table model_alias (
  name       text not null references registered_model (name),
  alias      text not null,
  version    integer not null,
  updated_at timestamptz not null,
  primary key (name, alias),
  foreign key (name, version) references model_version (name, version)
);

-- Every alias move, kept for audit.
create table alias_history (
  id           bigserial primary key,
  name         text not null,
  alias        text not null,
  from_version integer,
  to_version   integer,
  actor        text not null,
  at           timestamptz not null
);

-- Job tracking, like MLflow's runs.
create table job (
  job_id      text primary key,
  status      text not null,
  model_name  text,
  reason      text,
  spec        jsonb,
  created_at  timestamptz not null,
  updated_at  timestamptz not null
);

create table job_event (
  event_id    uuid primary key,
  job_id      text not null,
  type        text not null,
  occurred_at timestamptz not null,
  payload     jsonb not null
);
create index job_event_by_job on job_event (job_id, occurred_at);

create table job_metric (
  job_id text not null,
  kind   text not null check (kind in ('train', 'eval')),
  step   bigint not null,
  name   text not null,
  value  double precision not null,
  primary key (job_id, kind, step, name)
);
