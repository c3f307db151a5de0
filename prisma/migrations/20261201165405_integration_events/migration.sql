-- AlterTable
ALTER TABLE "ApiEvent" ADD COLUMN     "dispatchedAt" TIMESTAMP(3);


-- The events feed (/api/events) and HTTP integrations' triggers (docs/decisions/025-integrations.md),
-- written by triggers so that no write path (agents, macros, bulk actions, the portal, email in,
-- the REST API, the snooze wake-up, a merge) can forget one. Each new event is announced on
-- "shopdesk_api_events" when its transaction commits; the dispatcher in every process that runs
-- jobs wakes on it (and polls as a fallback), and marks dispatchedAt once it has queued the calls.
CREATE INDEX "ApiEvent_undispatched_idx" ON "ApiEvent"("id") WHERE "dispatchedAt" IS NULL;

CREATE FUNCTION "shopdesk_ticket_api_event"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  changes JSONB := '{}'::jsonb;
  event_type TEXT;
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO "ApiEvent" ("workspaceId", "type", "objectType", "objectId", "ticketId", "data")
    VALUES (NEW."workspaceId", 'ticket-created', 'Ticket', NEW."number"::text, NEW."id",
            jsonb_build_object('status', NEW."status", 'channel', NEW."channel", 'customerId', NEW."customerId"));
    PERFORM pg_notify('shopdesk_api_events', '');
    RETURN NULL;
  END IF;
  -- What people see change; a new message's counters, search text or updatedAt are not an update.
  IF NEW."status" IS DISTINCT FROM OLD."status" THEN
    changes := changes || jsonb_build_object('status', jsonb_build_array(OLD."status", NEW."status"));
  END IF;
  IF NEW."snoozedUntil" IS DISTINCT FROM OLD."snoozedUntil" THEN
    changes := changes || jsonb_build_object('snoozedUntil', jsonb_build_array(OLD."snoozedUntil", NEW."snoozedUntil"));
  END IF;
  IF NEW."assigneeId" IS DISTINCT FROM OLD."assigneeId" THEN
    changes := changes || jsonb_build_object('assignee', jsonb_build_array(OLD."assigneeId", NEW."assigneeId"));
  END IF;
  IF NEW."priority" IS DISTINCT FROM OLD."priority" THEN
    changes := changes || jsonb_build_object('priority', jsonb_build_array(OLD."priority", NEW."priority"));
  END IF;
  IF NEW."subject" IS DISTINCT FROM OLD."subject" THEN
    changes := changes || jsonb_build_object('subject', jsonb_build_array(OLD."subject", NEW."subject"));
  END IF;
  IF NEW."tags" IS DISTINCT FROM OLD."tags" THEN
    changes := changes || jsonb_build_object('tags', jsonb_build_array(to_jsonb(OLD."tags"), to_jsonb(NEW."tags")));
  END IF;
  IF NEW."customerId" IS DISTINCT FROM OLD."customerId" THEN
    changes := changes || jsonb_build_object('customer', jsonb_build_array(OLD."customerId", NEW."customerId"));
  END IF;
  IF changes = '{}'::jsonb THEN
    RETURN NULL;
  END IF;
  -- The wake-up opens a snoozed ticket once its time came; an agent opening it early is an update.
  IF OLD."status" = 'snoozed' AND NEW."status" = 'open' AND OLD."snoozedUntil" IS NOT NULL
     AND OLD."snoozedUntil" <= now() + interval '5 seconds' THEN
    event_type := 'ticket-self-unsnoozed';
  ELSE
    event_type := 'ticket-updated';
  END IF;
  INSERT INTO "ApiEvent" ("workspaceId", "type", "objectType", "objectId", "ticketId", "data")
  VALUES (NEW."workspaceId", event_type, 'Ticket', NEW."number"::text, NEW."id",
          jsonb_build_object('changes', changes));
  PERFORM pg_notify('shopdesk_api_events', '');
  RETURN NULL;
END
$$;

CREATE TRIGGER "ticket_api_event"
  AFTER INSERT OR UPDATE ON "Ticket"
  FOR EACH ROW EXECUTE FUNCTION "shopdesk_ticket_api_event"();

-- Customer messages, agent replies and internal notes (the anchor's messages include notes, as
-- public: false); system events (assigned, status changed…) are not messages.
CREATE FUNCTION "shopdesk_ticket_message_api_event"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO "ApiEvent" ("workspaceId", "type", "objectType", "objectId", "ticketId", "data")
  SELECT NEW."workspaceId", 'ticket-message-created', 'TicketMessage', NEW."id", NEW."ticketId",
         jsonb_build_object(
           'ticketNumber', t."number",
           'kind', NEW."kind",
           'public', NEW."kind" <> 'internal_note',
           'channel', NEW."channel",
           'fromAgent', NEW."kind" <> 'customer_message')
  FROM "Ticket" t WHERE t."id" = NEW."ticketId";
  PERFORM pg_notify('shopdesk_api_events', '');
  RETURN NULL;
END
$$;

CREATE TRIGGER "ticket_entry_api_event"
  AFTER INSERT ON "TicketEntry"
  FOR EACH ROW WHEN (NEW."kind" IN ('customer_message', 'agent_reply', 'internal_note'))
  EXECUTE FUNCTION "shopdesk_ticket_message_api_event"();
