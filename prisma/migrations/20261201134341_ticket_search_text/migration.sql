-- CreateTable
CREATE TABLE "TicketSearchText" (
    "ticketId" TEXT NOT NULL,
    "chunk" INTEGER NOT NULL,
    "body" TEXT NOT NULL,

    CONSTRAINT "TicketSearchText_pkey" PRIMARY KEY ("ticketId","chunk")
);

-- AddForeignKey
ALTER TABLE "TicketSearchText" ADD CONSTRAINT "TicketSearchText_ticketId_fkey" FOREIGN KEY ("ticketId") REFERENCES "Ticket"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Each ticket's messages and notes as lower-cased text in chunks of about 16 KB (decision 020, "A
-- ticket's text"): search checks a ticket with one LIKE on one row (long threads: a few), instead
-- of an ILIKE per message, which lower-cases every message on every search. Kept here, never by
-- the app: a new message is appended to the ticket's last chunk (a new chunk once that one would
-- pass 16 KB, so an append rewrites at most that much); a changed, moved or removed entry
-- (erasure, a move between tickets) rebuilds its tickets' text from their entries.

-- The text of these tickets, again from their entries; tickets that no longer exist are left out.
-- A chunk starts at each 16 KB boundary of the text, a message never split between two.
CREATE FUNCTION "shopdesk_ticket_search_text_rebuild"(ticket_ids TEXT[]) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  -- Tickets' rows first, as a new message's transaction does (see the append below).
  PERFORM 1 FROM "Ticket" WHERE "id" = ANY(ticket_ids) ORDER BY "id" FOR NO KEY UPDATE;
  DELETE FROM "TicketSearchText" WHERE "ticketId" = ANY(ticket_ids);
  INSERT INTO "TicketSearchText" ("ticketId", "chunk", "body")
  SELECT e."ticketId", e."chunk", string_agg(lower(e."body"), E'\n' ORDER BY e."createdAt", e."seq")
    FROM (
      SELECT "ticketId", "body", "createdAt", "seq",
             ((sum(length("body") + 1) OVER (PARTITION BY "ticketId" ORDER BY "createdAt", "seq")
               - length("body") - 1) / 16384)::int AS "chunk"
        FROM "TicketEntry"
       WHERE "ticketId" = ANY(ticket_ids) AND "kind" <> 'system_event' AND "body" <> ''
    ) AS e
   WHERE EXISTS (SELECT 1 FROM "Ticket" t WHERE t."id" = e."ticketId")
   GROUP BY e."ticketId", e."chunk";
END
$$;

CREATE FUNCTION "shopdesk_ticket_search_text_append"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  last_chunk INT;
  last_length INT;
BEGIN
  -- The ticket's row first: every message's transaction locks it next (lastMessageAt), so taking
  -- it before the text's row keeps one order everywhere, and two messages on a ticket queue
  -- instead of deadlocking (or both starting a new chunk).
  PERFORM 1 FROM "Ticket" WHERE "id" = NEW."ticketId" FOR NO KEY UPDATE;
  SELECT "chunk", length("body") INTO last_chunk, last_length
    FROM "TicketSearchText" WHERE "ticketId" = NEW."ticketId" ORDER BY "chunk" DESC LIMIT 1;
  IF last_chunk IS NULL THEN
    INSERT INTO "TicketSearchText" ("ticketId", "chunk", "body") VALUES (NEW."ticketId", 0, lower(NEW."body"));
  ELSIF last_length + 1 + length(NEW."body") <= 16384 THEN
    UPDATE "TicketSearchText" SET "body" = "body" || E'\n' || lower(NEW."body")
     WHERE "ticketId" = NEW."ticketId" AND "chunk" = last_chunk;
  ELSE
    INSERT INTO "TicketSearchText" ("ticketId", "chunk", "body") VALUES (NEW."ticketId", last_chunk + 1, lower(NEW."body"));
  END IF;
  RETURN NULL;
END
$$;

CREATE TRIGGER "ticket_entry_search_text_insert"
  AFTER INSERT ON "TicketEntry"
  FOR EACH ROW
  WHEN (NEW."kind" <> 'system_event' AND NEW."body" <> '')
  EXECUTE FUNCTION "shopdesk_ticket_search_text_append"();

-- Statement triggers that see the changed rows as tables: an erasure rewriting a long thread's
-- bodies rebuilds the ticket once, not once per message; a delivery status update rebuilds nothing.
CREATE FUNCTION "shopdesk_ticket_search_text_after_update"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  changed TEXT[];
BEGIN
  SELECT array_agg(DISTINCT c."id") INTO changed FROM (
    SELECT o."ticketId" AS "id" FROM old_entries o JOIN new_entries n ON n."id" = o."id"
     WHERE n."body" IS DISTINCT FROM o."body" OR n."kind" <> o."kind" OR n."ticketId" <> o."ticketId"
    UNION ALL
    SELECT n."ticketId" FROM old_entries o JOIN new_entries n ON n."id" = o."id"
     WHERE n."ticketId" <> o."ticketId"
  ) AS c;
  IF changed IS NOT NULL THEN
    PERFORM "shopdesk_ticket_search_text_rebuild"(changed);
  END IF;
  RETURN NULL;
END
$$;

-- A ticket deleted takes its text with it (foreign key); only entries removed from a ticket that
-- stays rebuild it.
CREATE FUNCTION "shopdesk_ticket_search_text_after_delete"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  changed TEXT[];
BEGIN
  SELECT array_agg(DISTINCT o."ticketId") INTO changed FROM old_entries o
   WHERE o."kind" <> 'system_event' AND o."body" <> ''
     AND EXISTS (SELECT 1 FROM "Ticket" t WHERE t."id" = o."ticketId");
  IF changed IS NOT NULL THEN
    PERFORM "shopdesk_ticket_search_text_rebuild"(changed);
  END IF;
  RETURN NULL;
END
$$;

CREATE TRIGGER "ticket_entry_search_text_update"
  AFTER UPDATE ON "TicketEntry"
  REFERENCING OLD TABLE AS old_entries NEW TABLE AS new_entries
  FOR EACH STATEMENT EXECUTE FUNCTION "shopdesk_ticket_search_text_after_update"();
CREATE TRIGGER "ticket_entry_search_text_delete"
  AFTER DELETE ON "TicketEntry"
  REFERENCING OLD TABLE AS old_entries
  FOR EACH STATEMENT EXECUTE FUNCTION "shopdesk_ticket_search_text_after_delete"();

-- The tickets already there.
INSERT INTO "TicketSearchText" ("ticketId", "chunk", "body")
SELECT e."ticketId", e."chunk", string_agg(lower(e."body"), E'\n' ORDER BY e."createdAt", e."seq")
  FROM (
    SELECT "ticketId", "body", "createdAt", "seq",
           ((sum(length("body") + 1) OVER (PARTITION BY "ticketId" ORDER BY "createdAt", "seq")
             - length("body") - 1) / 16384)::int AS "chunk"
      FROM "TicketEntry"
     WHERE "kind" <> 'system_event' AND "body" <> ''
  ) AS e
 GROUP BY e."ticketId", e."chunk";
