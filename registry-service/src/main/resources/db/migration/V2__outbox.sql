-- Facts for kft.models, written in the transaction of the change they announce and deleted once a
-- Kafka transaction carrying them has committed (OutboxRelay), so each is published exactly once.
create table outbox (
  seq        bigserial primary key,
  topic      text not null,
  event_key  text not null,
  payload    bytea not null,
  created_at timestamptz not null
);
