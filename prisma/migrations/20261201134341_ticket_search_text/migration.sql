-- AlterTable
ALTER TABLE "Ticket" ADD COLUMN     "searchText" TEXT NOT NULL DEFAULT '',
ADD COLUMN     "searchTextChunks" INTEGER NOT NULL DEFAULT 0;

-- CreateTable
CREATE TABLE "TicketSearchText" (
    "ticketId" TEXT NOT NULL,
    "chunk" INTEGER NOT NULL,
    "body" TEXT NOT NULL,

    CONSTRAINT "TicketSearchText_pkey" PRIMARY KEY ("ticketId","chunk")
);

-- AddForeignKey
ALTER TABLE "TicketSearchText" ADD CONSTRAINT "TicketSearchText_ticketId_fkey" FOREIGN KEY ("ticketId") REFERENCES "Ticket"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Each ticket's messages and notes as lower-cased text, for inbox search (decision 020, "A
-- ticket's text"): search checks a ticket with one LIKE on its own row, instead of an ILIKE per
-- message, which read every message and lower-cased it on every search. Chunk 0 (about 16 KB) is
-- Ticket.searchText; a long thread's further chunks are TicketSearchText rows 1, 2, … (their number
-- in Ticket.searchTextChunks), so an append rewrites at most one chunk. A message is never split
-- between chunks. Kept here, never by the app: a new message is appended; a changed, moved or
-- removed entry (erasure, a move between tickets) rebuilds its tickets' text from their entries.

-- The text of these tickets, again from their entries: messages grouped by the 16 KB of the whole
-- text they start in, the groups numbered 0, 1, … without gaps.
CREATE FUNCTION "shopdesk_ticket_search_text_rebuild"(ticket_ids TEXT[]) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  -- The tickets' rows first and in one order, as a new message's transaction takes its ticket's.
  PERFORM 1 FROM "Ticket" WHERE "id" = ANY(ticket_ids) ORDER BY "id" FOR NO KEY UPDATE;
  DELETE FROM "TicketSearchText" WHERE "ticketId" = ANY(ticket_ids);
  WITH rebuilt AS MATERIALIZED (
    SELECT g."ticketId", (row_number() OVER (PARTITION BY g."ticketId" ORDER BY g."at") - 1)::int AS "chunk", g."body"
      FROM (
        SELECT e."ticketId", e."at", string_agg(lower(e."body"), E'\n' ORDER BY e."createdAt", e."seq") AS "body"
          FROM (
            SELECT "ticketId", "body", "createdAt", "seq",
                   (sum(length("body") + 1) OVER (PARTITION BY "ticketId" ORDER BY "createdAt", "seq")
                    - length("body") - 1) / 16384 AS "at"
              FROM "TicketEntry"
             WHERE "ticketId" = ANY(ticket_ids) AND "kind" <> 'system_event' AND "body" <> ''
          ) AS e
         GROUP BY e."ticketId", e."at"
      ) AS g
  ), first_chunks AS (
    UPDATE "Ticket" t
       SET "searchText" = coalesce((SELECT r."body" FROM rebuilt r WHERE r."ticketId" = t."id" AND r."chunk" = 0), ''),
           "searchTextChunks" = (SELECT count(*) FROM rebuilt r WHERE r."ticketId" = t."id" AND r."chunk" > 0)
     WHERE t."id" = ANY(ticket_ids)
  )
  INSERT INTO "TicketSearchText" ("ticketId", "chunk", "body")
  SELECT r."ticketId", r."chunk", r."body" FROM rebuilt r
   WHERE r."chunk" > 0 AND EXISTS (SELECT 1 FROM "Ticket" t WHERE t."id" = r."ticketId");
END
$$;

CREATE FUNCTION "shopdesk_ticket_search_text_append"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  added TEXT := lower(NEW."body");
  first_length INT;
  chunks INT;
  last_length INT;
BEGIN
  -- The ticket's row, locked as the message's transaction locks it anyway (lastMessageAt): two
  -- messages on one ticket queue here instead of both starting a new chunk.
  SELECT length("searchText"), "searchTextChunks" INTO first_length, chunks
    FROM "Ticket" WHERE "id" = NEW."ticketId" FOR NO KEY UPDATE;
  IF chunks = 0 AND first_length = 0 THEN
    UPDATE "Ticket" SET "searchText" = added WHERE "id" = NEW."ticketId";
  ELSIF chunks = 0 AND first_length + 1 + length(added) <= 16384 THEN
    UPDATE "Ticket" SET "searchText" = "searchText" || E'\n' || added WHERE "id" = NEW."ticketId";
  ELSE
    SELECT length("body") INTO last_length FROM "TicketSearchText"
     WHERE "ticketId" = NEW."ticketId" AND "chunk" = chunks;
    IF chunks > 0 AND last_length + 1 + length(added) <= 16384 THEN
      UPDATE "TicketSearchText" SET "body" = "body" || E'\n' || added
       WHERE "ticketId" = NEW."ticketId" AND "chunk" = chunks;
    ELSE
      INSERT INTO "TicketSearchText" ("ticketId", "chunk", "body") VALUES (NEW."ticketId", chunks + 1, added);
      UPDATE "Ticket" SET "searchTextChunks" = chunks + 1 WHERE "id" = NEW."ticketId";
    END IF;
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

-- A ticket deleted takes its text with it; only entries removed from a ticket that stays rebuild it.
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

-- The tickets already there, set-wise (the function takes a few tickets at a time).
CREATE TEMP TABLE "shopdesk_backfill_text" AS
SELECT g."ticketId", (row_number() OVER (PARTITION BY g."ticketId" ORDER BY g."at") - 1)::int AS "chunk", g."body"
  FROM (
    SELECT e."ticketId", e."at", string_agg(lower(e."body"), E'\n' ORDER BY e."createdAt", e."seq") AS "body"
      FROM (
        SELECT "ticketId", "body", "createdAt", "seq",
               (sum(length("body") + 1) OVER (PARTITION BY "ticketId" ORDER BY "createdAt", "seq")
                - length("body") - 1) / 16384 AS "at"
          FROM "TicketEntry"
         WHERE "kind" <> 'system_event' AND "body" <> ''
      ) AS e
     GROUP BY e."ticketId", e."at"
  ) AS g;
UPDATE "Ticket" t SET "searchText" = b."body"
  FROM "shopdesk_backfill_text" b WHERE b."ticketId" = t."id" AND b."chunk" = 0;
UPDATE "Ticket" t SET "searchTextChunks" = b."chunks"
  FROM (SELECT "ticketId", count(*)::int AS "chunks" FROM "shopdesk_backfill_text" WHERE "chunk" > 0 GROUP BY 1) b
 WHERE b."ticketId" = t."id";
INSERT INTO "TicketSearchText" ("ticketId", "chunk", "body")
SELECT "ticketId", "chunk", "body" FROM "shopdesk_backfill_text" WHERE "chunk" > 0;
DROP TABLE "shopdesk_backfill_text";
