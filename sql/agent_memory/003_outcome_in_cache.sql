-- agent_memory: the exact-search cache (002_search_cache.sql) also knows which episodes have a
-- recorded outcome, so that a search "with_outcome" filters while it scans (one pass, exact)
-- instead of reading candidate rows from the database until enough of them have one.
-- For that, recording an outcome moves mem_xid like an embedding change does: the next refresh
-- of every instance re-reads the row (its vector and whether it has an outcome).
DROP TRIGGER agent_episodes_touch_trg ON agent_episodes;

CREATE TRIGGER agent_episodes_touch_trg
    BEFORE UPDATE OF embedding, project_id, episode_id, outcome, outcome_quality ON agent_episodes
    FOR EACH ROW
    WHEN (OLD.embedding IS DISTINCT FROM NEW.embedding
          OR OLD.project_id IS DISTINCT FROM NEW.project_id
          OR OLD.episode_id IS DISTINCT FROM NEW.episode_id
          OR (OLD.outcome IS NULL AND OLD.outcome_quality IS NULL)
             IS DISTINCT FROM (NEW.outcome IS NULL AND NEW.outcome_quality IS NULL))
    EXECUTE FUNCTION agent_episodes_touch();
