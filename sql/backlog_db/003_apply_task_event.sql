-- backlog_db: backlog_apply_task_event(), the one call the TASK_UPDATED consumer makes per
-- stream message (plugins/service_backlog/bl_events.c). NOT in spec/data-architecture.md — an
-- addition of DSM-in-C, over the tables of 002_event_inbox.sql.
--
-- A function rather than one multi-CTE statement sent each time: PL/pgSQL keeps the plans of
-- its statements for the life of the connection, so a message costs one short round trip and
-- no planning (the consumer's throughput target is >= 5,000 messages/s). Called as
-- `SELECT backlog_apply_task_event(...)` outside an explicit transaction, its work commits as a
-- whole before the consumer acknowledges the message.
--
-- Steps (each stops at the first that says there is nothing to do):
--   1. unknown task                        → 'unknown_task' (nothing recorded);
--   2. event_id already in event_inbox     → 'duplicate'   (the same event delivered or
--                                                           published twice);
--   3. the task's watermark is at or after this message's stream position
--                                          → 'stale'       (handled out of order: a later
--                                                           message was applied first);
--   4. update the task                     → 'applied'.
-- p_status, p_progress, p_assigned_to: NULL keeps the column; p_sprint_mode: 'set' (to
-- p_sprint_id), 'clear' (NULL) or 'keep'.
CREATE FUNCTION backlog_apply_task_event(
    p_task_id text, p_event_id text, p_stream_id text, p_stream_ms bigint, p_stream_seq bigint,
    p_status text, p_progress integer, p_sprint_mode text, p_sprint_id text, p_assigned_to text)
RETURNS text
LANGUAGE plpgsql
AS $fn$
BEGIN
    PERFORM 1 FROM tasks WHERE task_id = p_task_id;
    IF NOT FOUND THEN
        RETURN 'unknown_task';
    END IF;

    INSERT INTO event_inbox (event_id, stream_id, task_id)
    VALUES (p_event_id, p_stream_id, p_task_id)
    ON CONFLICT (event_id) DO NOTHING;
    IF NOT FOUND THEN
        RETURN 'duplicate';
    END IF;

    -- The row lock taken here serialises concurrent messages about the same task.
    INSERT INTO task_event_marks AS m (task_id, stream_ms, stream_seq, stream_id)
    VALUES (p_task_id, p_stream_ms, p_stream_seq, p_stream_id)
    ON CONFLICT (task_id) DO UPDATE
        SET stream_ms = EXCLUDED.stream_ms, stream_seq = EXCLUDED.stream_seq,
            stream_id = EXCLUDED.stream_id, applied_at = now()
        WHERE (m.stream_ms, m.stream_seq) < (EXCLUDED.stream_ms, EXCLUDED.stream_seq);
    IF NOT FOUND THEN
        RETURN 'stale';
    END IF;

    UPDATE tasks
       SET status = COALESCE(p_status, status),
           progress_percentage = COALESCE(p_progress, progress_percentage),
           sprint_id = CASE p_sprint_mode WHEN 'set' THEN p_sprint_id
                                          WHEN 'clear' THEN NULL
                                          ELSE sprint_id END,
           assigned_to = COALESCE(p_assigned_to, assigned_to)
     WHERE task_id = p_task_id;
    RETURN 'applied';
END;
$fn$;
