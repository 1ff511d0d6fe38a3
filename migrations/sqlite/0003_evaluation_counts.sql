-- Row counts kept by triggers, so that the list query's total for all evaluations, or for one
-- agent, is one lookup instead of a count over every matching index entry.
-- scope: 'all' or 'agent:<agent_id>'.
CREATE TABLE evaluation_counts (
  scope TEXT PRIMARY KEY,
  evaluations INTEGER NOT NULL
) WITHOUT ROWID;

INSERT INTO evaluation_counts SELECT 'all', COUNT(*) FROM evaluations;
INSERT INTO evaluation_counts
  SELECT 'agent:' || agent_id, COUNT(*) FROM evaluations GROUP BY agent_id;

CREATE TRIGGER evaluations_count_insert AFTER INSERT ON evaluations BEGIN
  INSERT INTO evaluation_counts VALUES ('all', 1), ('agent:' || NEW.agent_id, 1)
    ON CONFLICT (scope) DO UPDATE SET evaluations = evaluations + 1;
END;

CREATE TRIGGER evaluations_count_delete AFTER DELETE ON evaluations BEGIN
  UPDATE evaluation_counts SET evaluations = evaluations - 1
    WHERE scope IN ('all', 'agent:' || OLD.agent_id);
END;

CREATE TRIGGER evaluations_count_move AFTER UPDATE OF agent_id ON evaluations
  WHEN OLD.agent_id <> NEW.agent_id BEGIN
  UPDATE evaluation_counts SET evaluations = evaluations - 1
    WHERE scope = 'agent:' || OLD.agent_id;
  INSERT INTO evaluation_counts VALUES ('agent:' || NEW.agent_id, 1)
    ON CONFLICT (scope) DO UPDATE SET evaluations = evaluations + 1;
END;
