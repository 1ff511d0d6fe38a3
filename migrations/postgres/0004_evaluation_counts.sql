-- Row counts kept by triggers, so that the list query's total for all evaluations, or for one
-- agent, is one lookup instead of a count over every matching index entry.
-- scope: 'all' or 'agent:<agent_id>'.
CREATE TABLE evaluation_counts (
  scope TEXT PRIMARY KEY,
  evaluations BIGINT NOT NULL
);

-- Taken before counting, so no row can be inserted between the count and the trigger.
LOCK TABLE evaluations IN SHARE MODE;

INSERT INTO evaluation_counts SELECT 'all', COUNT(*) FROM evaluations;
INSERT INTO evaluation_counts
  SELECT 'agent:' || agent_id, COUNT(*) FROM evaluations GROUP BY agent_id;

CREATE FUNCTION evaluations_count() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('DELETE', 'UPDATE') THEN
    UPDATE evaluation_counts SET evaluations = evaluations - 1
      WHERE scope IN ('all', 'agent:' || OLD.agent_id);
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    INSERT INTO evaluation_counts VALUES ('all', 1), ('agent:' || NEW.agent_id, 1)
      ON CONFLICT (scope) DO UPDATE SET evaluations = evaluation_counts.evaluations + 1;
  END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER evaluations_count AFTER INSERT OR DELETE ON evaluations
  FOR EACH ROW EXECUTE FUNCTION evaluations_count();
CREATE TRIGGER evaluations_count_move AFTER UPDATE OF agent_id ON evaluations
  FOR EACH ROW WHEN (OLD.agent_id IS DISTINCT FROM NEW.agent_id)
  EXECUTE FUNCTION evaluations_count();
