-- agent_memory: bookkeeping for the memory plugin's in-process vector index (used when
-- pgvector is absent; harmless with it). Not part of spec/data-architecture.md §4.2, hence a
-- migration of its own. Why these objects:
--
-- The plugin keeps (episode_id, project_id, normalised embedding) of every embedded episode in
-- memory and answers k-nearest searches by an exact scan (plugins/service_memory/mem_cache.c).
-- Before each search it must learn, cheaply and without missing anything, what changed since
-- its last look. A plain sequence-numbered "revision" cannot do that: numbers are taken before
-- commit, so a row numbered 41 may become visible after a row numbered 42 has been read and
-- the watermark has moved past it. Transaction ids can: every row carries the 64-bit id of the
-- transaction that last changed its embedding (mem_xid), and the plugin remembers the xmin of
-- the snapshot of its last refresh. Every transaction that committed after that snapshot has
-- an id >= that xmin, so "mem_xid >= last xmin" is a complete (slightly generous) change set.
--
--   mem_xid          set on insert, and by a trigger whenever embedding, project_id or the id
--                    changes (an outcome update does not touch it: the cache needs no reload).
--   tombstones       one row per deleted episode (statement-level trigger, transition table),
--                    stamped with the deleting transaction's id; a TRUNCATE leaves one row
--                    with a NULL episode_id, which makes every cache reload in full. Rows older
--                    than a day are purged by the same trigger; a cache that has not refreshed
--                    for 12 hours reloads in full, so it never depends on a purged tombstone.

ALTER TABLE agent_episodes ADD COLUMN mem_xid xid8 NOT NULL DEFAULT pg_current_xact_id();
CREATE INDEX agent_episodes_mem_xid_idx ON agent_episodes (mem_xid);

CREATE TABLE agent_episode_tombstones (
    episode_id UUID,                                      -- NULL: the table was truncated
    deleted_xid xid8 NOT NULL DEFAULT pg_current_xact_id(),
    deleted_at TIMESTAMPTZ NOT NULL DEFAULT NOW()
);
CREATE INDEX agent_episode_tombstones_xid_idx ON agent_episode_tombstones (deleted_xid);

CREATE FUNCTION agent_episodes_touch() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
    IF NEW.episode_id IS DISTINCT FROM OLD.episode_id THEN
        INSERT INTO agent_episode_tombstones (episode_id) VALUES (OLD.episode_id);
    END IF;
    NEW.mem_xid := pg_current_xact_id();
    RETURN NEW;
END
$fn$;

CREATE TRIGGER agent_episodes_touch_trg
    BEFORE UPDATE OF embedding, project_id, episode_id ON agent_episodes
    FOR EACH ROW
    WHEN (OLD.embedding IS DISTINCT FROM NEW.embedding
          OR OLD.project_id IS DISTINCT FROM NEW.project_id
          OR OLD.episode_id IS DISTINCT FROM NEW.episode_id)
    EXECUTE FUNCTION agent_episodes_touch();

CREATE FUNCTION agent_episodes_tombstone() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
    IF TG_OP = 'TRUNCATE' THEN
        INSERT INTO agent_episode_tombstones (episode_id) VALUES (NULL);
    ELSE
        INSERT INTO agent_episode_tombstones (episode_id) SELECT episode_id FROM gone;
    END IF;
    DELETE FROM agent_episode_tombstones WHERE deleted_at < NOW() - INTERVAL '1 day';
    RETURN NULL;
END
$fn$;

CREATE TRIGGER agent_episodes_delete_trg
    AFTER DELETE ON agent_episodes
    REFERENCING OLD TABLE AS gone
    FOR EACH STATEMENT
    EXECUTE FUNCTION agent_episodes_tombstone();

CREATE TRIGGER agent_episodes_truncate_trg
    AFTER TRUNCATE ON agent_episodes
    FOR EACH STATEMENT
    EXECUTE FUNCTION agent_episodes_tombstone();
