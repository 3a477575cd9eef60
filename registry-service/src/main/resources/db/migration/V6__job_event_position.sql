-- The console follows every job at once (GET /api/console/jobs/live): it asks which jobs have events
-- recorded after the last position it saw, and which changed status lately.
create index job_event_by_seq on job_event (seq);
create index job_by_updated_at on job (updated_at);
