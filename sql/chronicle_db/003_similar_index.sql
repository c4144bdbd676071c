-- chronicle_db: the impediment texts C16 (similar projects) compares, kept current by triggers,
-- so that the comparison no longer expands every daily scrum report of every project on each
-- call (its cost grew with the whole history: about 2 s at 45,000 reports, and the
-- orchestrator asks on every decision). Derived data only: the table can be rebuilt from
-- chronicle_notes at any time (the backfill below does exactly that).
--
--   chronicle_impediment_texts  per project, each distinct impediment text of its daily scrum
--                               reports
--
-- The texts are the ones the daily-task expansion of the plugin reads (CHR_SQL_DAILY_TASKS in
-- plugins/service_chronicle/chr_internal.h): event_type 'daily_scrum_report' without
-- orchestration_decision_details, tasks under additional_data.reports.<date>[].tasks[] (current
-- shape) or additional_data.<date>[].tasks[] (legacy shape), plus the note's own impediments
-- column. The "no impediment" phrases and the match key are applied when C16 reads them.
--
-- An insert adds its texts (ON CONFLICT DO NOTHING: no row is updated, so concurrent report
-- writes of one project never wait on each other); a delete or an update recomputes the texts
-- of the projects it touched, once per statement (transition tables).

CREATE TABLE chronicle_impediment_texts (
    project_id TEXT NOT NULL,
    txt TEXT NOT NULL,
    PRIMARY KEY (project_id, txt)
);

-- The distinct impediment texts of one note.
CREATE FUNCTION chronicle_note_impediments(p_event_type TEXT, p_ad JSONB, p_impediments TEXT)
RETURNS SETOF TEXT LANGUAGE sql IMMUTABLE AS $fn$
    SELECT DISTINCT x FROM (
        SELECT t ->> 'impediments' AS x
        FROM jsonb_each(CASE WHEN jsonb_typeof(p_ad -> 'reports') = 'object' THEN p_ad -> 'reports'
                             WHEN jsonb_typeof(p_ad) = 'object' AND NOT p_ad ? 'reports' THEN p_ad
                             ELSE '{}'::jsonb END) d,
             LATERAL jsonb_array_elements(CASE WHEN jsonb_typeof(d.value) = 'array' THEN d.value
                                               ELSE '[]'::jsonb END) e,
             LATERAL jsonb_array_elements(CASE WHEN jsonb_typeof(e) = 'object'
                                                    AND jsonb_typeof(e -> 'tasks') = 'array'
                                               THEN e -> 'tasks' ELSE '[]'::jsonb END) t
        WHERE jsonb_typeof(t) = 'object'
        UNION ALL
        SELECT p_impediments
    ) u
    WHERE x IS NOT NULL
      AND p_event_type = 'daily_scrum_report'
      AND NOT coalesce(p_ad ? 'orchestration_decision_details', false)
$fn$;

CREATE FUNCTION chronicle_impediment_texts_add() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
    IF NEW.project_id IS NOT NULL THEN
        INSERT INTO chronicle_impediment_texts (project_id, txt)
            SELECT NEW.project_id, x
            FROM chronicle_note_impediments(NEW.event_type, NEW.additional_data, NEW.impediments) x
            ON CONFLICT DO NOTHING;
    END IF;
    RETURN NULL;
END
$fn$;

-- The texts of the given projects, recomputed from their notes.
CREATE FUNCTION chronicle_impediment_texts_rebuild(p_projects TEXT[]) RETURNS void
LANGUAGE sql AS $fn$
    DELETE FROM chronicle_impediment_texts WHERE project_id = ANY(p_projects);
    INSERT INTO chronicle_impediment_texts (project_id, txt)
        SELECT DISTINCT n.project_id, x
        FROM chronicle_notes n,
             LATERAL chronicle_note_impediments(n.event_type, n.additional_data, n.impediments) x
        WHERE n.project_id = ANY(p_projects);
$fn$;

CREATE FUNCTION chronicle_impediment_texts_deleted() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
    PERFORM chronicle_impediment_texts_rebuild(
        ARRAY(SELECT DISTINCT project_id FROM old_rows WHERE project_id IS NOT NULL));
    RETURN NULL;
END
$fn$;

CREATE FUNCTION chronicle_impediment_texts_updated() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
    PERFORM chronicle_impediment_texts_rebuild(
        ARRAY(SELECT project_id FROM old_rows WHERE project_id IS NOT NULL
              UNION SELECT project_id FROM new_rows WHERE project_id IS NOT NULL));
    RETURN NULL;
END
$fn$;

CREATE TRIGGER chronicle_notes_impediments_ins_trg
    AFTER INSERT ON chronicle_notes
    FOR EACH ROW EXECUTE FUNCTION chronicle_impediment_texts_add();
CREATE TRIGGER chronicle_notes_impediments_del_trg
    AFTER DELETE ON chronicle_notes REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION chronicle_impediment_texts_deleted();
CREATE TRIGGER chronicle_notes_impediments_upd_trg
    AFTER UPDATE ON chronicle_notes REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION chronicle_impediment_texts_updated();

-- backfill from what is already stored
INSERT INTO chronicle_impediment_texts (project_id, txt)
    SELECT DISTINCT n.project_id, x
    FROM chronicle_notes n,
         LATERAL chronicle_note_impediments(n.event_type, n.additional_data, n.impediments) x
    WHERE n.project_id IS NOT NULL;
