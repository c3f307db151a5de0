-- A widget's live stream follows one ticket; when its visitor's chat moves (a first message starts
-- a chat, a revert ends it, another tab starts a new one), the stream has no ticket news to hear.
-- This announces the move on the same channel with the visitor's id ({"w", "v"}), so a stream
-- listens for its own ticket and its own visitor only, not for every change in the workspace.
-- Presence (lastSeenAt, page) changes nothing here: only a different ticketId notifies.
CREATE FUNCTION "shopdesk_notify_chat_visitor_move"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify(
    'shopdesk_ticket_changes',
    json_build_object('w', NEW."workspaceId", 'v', NEW."id")::text
  );
  RETURN NULL;
END
$$;

CREATE TRIGGER "chat_visitor_move_notify"
  AFTER UPDATE OF "ticketId" ON "ChatVisitor"
  FOR EACH ROW WHEN (OLD."ticketId" IS DISTINCT FROM NEW."ticketId")
  EXECUTE FUNCTION "shopdesk_notify_chat_visitor_move"();
