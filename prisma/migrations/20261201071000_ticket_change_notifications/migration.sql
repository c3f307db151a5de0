-- Every change to a ticket or its thread is announced on "shopdesk_ticket_changes" when its
-- transaction commits, from whichever process made it (web, worker, a job), so every app instance
-- can push it to the agents watching (app/services/live). Triggers, not app code: no write path
-- can forget to announce. Payload: {"w": workspaceId, "t": ticketId}; NOTIFY folds repeats of the
-- same payload within a transaction into one.
CREATE FUNCTION "shopdesk_notify_ticket_change"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  changed RECORD;
  ticket_id TEXT;
BEGIN
  IF TG_OP = 'DELETE' THEN changed := OLD; ELSE changed := NEW; END IF;
  -- Separate branches: a record's fields are looked up when the expression runs.
  IF TG_TABLE_NAME = 'Ticket' THEN
    ticket_id := changed."id";
  ELSE
    ticket_id := changed."ticketId";
  END IF;
  PERFORM pg_notify(
    'shopdesk_ticket_changes',
    json_build_object('w', changed."workspaceId", 't', ticket_id)::text
  );
  RETURN NULL;
END
$$;

CREATE TRIGGER "ticket_change_notify"
  AFTER INSERT OR UPDATE ON "Ticket"
  FOR EACH ROW EXECUTE FUNCTION "shopdesk_notify_ticket_change"();

CREATE TRIGGER "ticket_entry_change_notify"
  AFTER INSERT OR UPDATE ON "TicketEntry"
  FOR EACH ROW EXECUTE FUNCTION "shopdesk_notify_ticket_change"();

CREATE TRIGGER "ticket_viewer_change_notify"
  AFTER INSERT OR UPDATE OF "replying" OR DELETE ON "TicketViewer"
  FOR EACH ROW EXECUTE FUNCTION "shopdesk_notify_ticket_change"();
