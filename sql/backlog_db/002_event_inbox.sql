-- backlog_db: exactly-once (in effect) application of TASK_UPDATED stream messages.
-- NOT in spec/data-architecture.md §2.2 — an addition of DSM-in-C (workflows.md §4.8 suggests
-- an event_inbox table per consuming database). Only the consumer of task_update_events
-- (plugins/service_backlog/bl_events.c) uses these tables; the HTTP endpoints never do.
--
-- The host delivers each message at least once (acknowledged only after the handler
-- committed; redelivered after a crash, reclaimed from a dead instance after consumer_idle_ms),
-- and the two instances of the pool consume in parallel. One call per message,
-- backlog_apply_task_event() (003_apply_task_event.sql), in one transaction:
--   1. INSERT INTO event_inbox ... ON CONFLICT DO NOTHING — the event was already handled
--      (same message delivered twice, or the same event published twice): nothing more;
--   2. advance task_event_marks for the task only if this message is LATER in the stream than
--      the last one applied to it — otherwise it is stale (handled out of order): nothing more;
--   3. UPDATE tasks.
-- Their row locks serialise concurrent messages about one task.

-- Every handled event. event_id is the document's event_id (a UUID), or "<stream>/<message id>"
-- for a document without one. Rows can be pruned by consumed_at once no redelivery can come
-- (messages are never pending longer than 5 deliveries).
CREATE TABLE event_inbox (
    event_id TEXT PRIMARY KEY,
    stream_id TEXT NOT NULL,            -- Redis stream message id "1700000000000-0"
    task_id VARCHAR(255) NOT NULL,
    consumed_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- Per task: the stream position of the last TASK_UPDATED applied to it (the watermark).
CREATE TABLE task_event_marks (
    task_id VARCHAR(255) PRIMARY KEY,
    stream_ms BIGINT NOT NULL,          -- message id = stream_ms "-" stream_seq
    stream_seq BIGINT NOT NULL,
    stream_id TEXT NOT NULL,
    applied_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
