-- The event log is append-only: what happened to a dispute is never rewritten.
CREATE OR REPLACE FUNCTION dispute_events_append_only() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION 'dispute_events is append-only: % refused', TG_OP;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE TRIGGER dispute_events_no_update_or_delete
  BEFORE UPDATE OR DELETE ON dispute_events
  FOR EACH ROW EXECUTE FUNCTION dispute_events_append_only();
