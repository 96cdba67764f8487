-- Neutralization of OCA queue_job (OCA/queue). The OCA module ships no neutralize.sql; without this a
-- copy would run production's pending jobs (exports, EDI, syncs) against the outside world.

-- Jobs that have not run yet are cancelled
-- requires: queue_job.state
UPDATE queue_job
   SET state = 'cancelled'
 WHERE state IN ('pending', 'enqueued', 'wait_dependencies');
