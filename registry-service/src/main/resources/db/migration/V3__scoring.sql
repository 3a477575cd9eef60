-- Scoring deployments (kft serve): a topic scored with a registered model, announced on kft.models
-- through the outbox in the transaction that declares or removes them; the inference service
-- runs them.
create table scoring_deployment (
  name        text primary key,
  model       text not null,
  from_topic  text not null,
  to_topic    text not null,
  text_field  text not null,
  declared_by text not null,
  declared_at timestamptz not null
);
