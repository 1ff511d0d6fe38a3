-- tars:no-transaction
-- Built without locking writes on a table that may already hold millions of rows. A failed
-- concurrent build leaves an invalid index behind, so drop any leftover before building.
DROP INDEX CONCURRENTLY IF EXISTS evaluations_type_env_created;
CREATE INDEX CONCURRENTLY evaluations_type_env_created
  ON evaluations (agent_type, environment, created_at DESC, id DESC);
