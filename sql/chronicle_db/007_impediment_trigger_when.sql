-- chronicle_db: the insert trigger of chronicle_impediment_texts (003) fires only for the notes
-- that can carry impediment texts — daily scrum reports that are not orchestrator decisions,
-- exactly the notes chronicle_note_impediments() reads. The orchestrator files two notes per
-- decision (its decision as a daily report, and the decision audit); for those the trigger ran
-- a PL/pgSQL call and planned chronicle_note_impediments() only to insert nothing.
DROP TRIGGER chronicle_notes_impediments_ins_trg ON chronicle_notes;
CREATE TRIGGER chronicle_notes_impediments_ins_trg
    AFTER INSERT ON chronicle_notes
    FOR EACH ROW
    WHEN (NEW.project_id IS NOT NULL AND NEW.event_type = 'daily_scrum_report'
          AND NOT coalesce(NEW.additional_data ? 'orchestration_decision_details', false))
    EXECUTE FUNCTION chronicle_impediment_texts_add();
