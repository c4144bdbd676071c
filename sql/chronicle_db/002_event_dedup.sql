-- chronicle_db: exactly-once (in effect) recording of Redis stream events.
-- The Chronicle plugin consumes orchestration_events (STRATEGY_APPLIED) and
-- agent_learning_events (STRATEGY_EVOLVED) and stores one 'orchestration_decision_audit' note
-- per message, with the stream name and message id in additional_data ("stream",
-- "stream_id"). The host acknowledges a message only after the handler succeeded, so a message
-- can be delivered again (crash before XACK, reclaim after 30 s idle by the other instance);
-- this unique index makes the second insert a no-op (INSERT ... ON CONFLICT DO NOTHING).
-- Notes written through the HTTP API (C7) never carry "stream_id": they are not affected.
CREATE UNIQUE INDEX chronicle_notes_stream_msg_uidx
    ON chronicle_notes ((additional_data ->> 'stream'), (additional_data ->> 'stream_id'))
    WHERE additional_data ? 'stream_id';
