-- ticket-message-failed (docs/decisions/025-integrations.md): an agent reply the channel would not
-- take after its last attempt (TicketEntry.deliveryStatus becomes failed), from whichever path
-- settles it (the delivery job, the sweep). A reply retried by hand and failing again fires again.
CREATE FUNCTION "shopdesk_ticket_message_failed_api_event"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO "ApiEvent" ("workspaceId", "type", "objectType", "objectId", "ticketId", "data")
  SELECT NEW."workspaceId", 'ticket-message-failed', 'TicketMessage', NEW."id", NEW."ticketId",
         jsonb_build_object(
           'ticketNumber', t."number",
           'kind', NEW."kind",
           'channel', NEW."channel",
           'error', NEW."deliveryError")
  FROM "Ticket" t WHERE t."id" = NEW."ticketId";
  PERFORM pg_notify('shopdesk_api_events', '');
  RETURN NULL;
END
$$;

CREATE TRIGGER "ticket_entry_failed_api_event"
  AFTER UPDATE OF "deliveryStatus" ON "TicketEntry"
  FOR EACH ROW WHEN (NEW."deliveryStatus" = 'failed' AND OLD."deliveryStatus" IS DISTINCT FROM 'failed')
  EXECUTE FUNCTION "shopdesk_ticket_message_failed_api_event"();
