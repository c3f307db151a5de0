-- CreateTable
CREATE TABLE "InboxTally" (
    "id" BIGSERIAL NOT NULL,
    "workspaceId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "delta" INTEGER NOT NULL,

    CONSTRAINT "InboxTally_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "InboxTally_workspaceId_kind_key_idx" ON "InboxTally"("workspaceId", "kind", "key");

-- AddForeignKey
ALTER TABLE "InboxTally" ADD CONSTRAINT "InboxTally_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "Workspace"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- The inbox's counts (per status and assignee) and tag counts, as deltas (decision 022): each
-- ticket change appends what it adds (+1) and removes (-1), netted per key, so concurrent changes
-- never wait on a shared counter row. A ticket deleted with its workspace adds nothing (its
-- tallies go with the workspace; an insert there would break the cascade's foreign key).
CREATE FUNCTION "shopdesk_inbox_tally"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO "InboxTally" ("workspaceId", "kind", "key", "delta")
  SELECT change."workspaceId", change."kind", change."key", sum(change."delta")::int
    FROM (
      SELECT OLD."workspaceId", 'view' AS "kind", OLD."status"::text || '|' || coalesce(OLD."assigneeId", '') AS "key", -1 AS "delta"
       WHERE TG_OP <> 'INSERT'
      UNION ALL
      SELECT OLD."workspaceId", 'tag', tag, -1 FROM (SELECT DISTINCT unnest(OLD."tags") AS tag) AS old_tags
       WHERE TG_OP <> 'INSERT'
      UNION ALL
      SELECT NEW."workspaceId", 'view', NEW."status"::text || '|' || coalesce(NEW."assigneeId", ''), 1
       WHERE TG_OP <> 'DELETE'
      UNION ALL
      SELECT NEW."workspaceId", 'tag', tag, 1 FROM (SELECT DISTINCT unnest(NEW."tags") AS tag) AS new_tags
       WHERE TG_OP <> 'DELETE'
    ) AS change
   WHERE EXISTS (SELECT 1 FROM "Workspace" w WHERE w."id" = change."workspaceId")
   GROUP BY change."workspaceId", change."kind", change."key"
  HAVING sum(change."delta") <> 0;
  RETURN NULL;
END
$$;

CREATE TRIGGER "ticket_inbox_tally_insert"
  AFTER INSERT ON "Ticket"
  FOR EACH ROW EXECUTE FUNCTION "shopdesk_inbox_tally"();
-- Only when a counted column changed: a new message (lastMessageAt) writes no tally.
CREATE TRIGGER "ticket_inbox_tally_update"
  AFTER UPDATE OF "status", "assigneeId", "tags", "workspaceId" ON "Ticket"
  FOR EACH ROW
  WHEN (OLD."status" IS DISTINCT FROM NEW."status"
     OR OLD."assigneeId" IS DISTINCT FROM NEW."assigneeId"
     OR OLD."tags" IS DISTINCT FROM NEW."tags"
     OR OLD."workspaceId" IS DISTINCT FROM NEW."workspaceId")
  EXECUTE FUNCTION "shopdesk_inbox_tally"();
CREATE TRIGGER "ticket_inbox_tally_delete"
  AFTER DELETE ON "Ticket"
  FOR EACH ROW EXECUTE FUNCTION "shopdesk_inbox_tally"();

-- The tickets already there, one row per key.
INSERT INTO "InboxTally" ("workspaceId", "kind", "key", "delta")
SELECT "workspaceId", 'view', "status"::text || '|' || coalesce("assigneeId", ''), count(*)::int
  FROM "Ticket" GROUP BY 1, 3
UNION ALL
SELECT t."workspaceId", 'tag', tag, count(*)::int
  FROM "Ticket" t, LATERAL (SELECT DISTINCT unnest(t."tags") AS tag) AS tags GROUP BY 1, 3;
