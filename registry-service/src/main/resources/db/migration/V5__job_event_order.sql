-- The order in which the registry recorded each job event, so that a follower of a job's events
-- (GET /api/jobs/{id}/events) asks for what came after the last one it saw, whatever the clocks of
-- the services that wrote them said.
alter table job_event add column seq bigserial;
create index job_event_by_job_seq on job_event (job_id, seq);
