-- Trigram search (inbox text, customer search) and accent-free matching ("Muller" finds "Müller").
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE EXTENSION IF NOT EXISTS unaccent;

-- CreateEnum
CREATE TYPE "MailSecurity" AS ENUM ('none', 'starttls', 'tls');

-- AlterTable
ALTER TABLE "HelpdeskCustomer" ADD COLUMN     "searchText" TEXT NOT NULL DEFAULT '';

-- CreateTable
CREATE TABLE "WorkspaceMailSettings" (
    "workspaceId" TEXT NOT NULL,
    "host" TEXT NOT NULL,
    "port" INTEGER NOT NULL,
    "security" "MailSecurity" NOT NULL,
    "username" TEXT,
    "passwordEncrypted" TEXT,
    "fromAddress" TEXT NOT NULL,
    "fromName" TEXT,
    "lastTestedAt" TIMESTAMP(3),
    "lastTestError" TEXT,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "WorkspaceMailSettings_pkey" PRIMARY KEY ("workspaceId")
);

-- CreateTable
CREATE TABLE "Macro" (
    "id" TEXT NOT NULL,
    "workspaceId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "language" TEXT NOT NULL DEFAULT 'en',
    "body" TEXT NOT NULL,
    "actions" JSONB NOT NULL DEFAULT '{}',
    "starterKey" TEXT,
    "usageCount" INTEGER NOT NULL DEFAULT 0,
    "lastUsedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Macro_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CustomerMerge" (
    "id" TEXT NOT NULL,
    "workspaceId" TEXT NOT NULL,
    "survivorId" TEXT NOT NULL,
    "mergedId" TEXT NOT NULL,
    "mergedName" TEXT,
    "mergedByAgentId" TEXT,
    "snapshot" JSONB NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "undoableUntil" TIMESTAMP(3) NOT NULL,
    "undoneAt" TIMESTAMP(3),
    "undoneByAgentId" TEXT,

    CONSTRAINT "CustomerMerge_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "TicketViewer" (
    "ticketId" TEXT NOT NULL,
    "agentId" TEXT NOT NULL,
    "workspaceId" TEXT NOT NULL,
    "replying" BOOLEAN NOT NULL DEFAULT false,
    "seenAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "TicketViewer_pkey" PRIMARY KEY ("ticketId","agentId")
);

-- CreateIndex
CREATE UNIQUE INDEX "Macro_workspaceId_language_name_key" ON "Macro"("workspaceId", "language", "name");

-- CreateIndex
CREATE UNIQUE INDEX "Macro_workspaceId_starterKey_language_key" ON "Macro"("workspaceId", "starterKey", "language");

-- CreateIndex
CREATE INDEX "CustomerMerge_workspaceId_createdAt_idx" ON "CustomerMerge"("workspaceId", "createdAt");

-- CreateIndex
CREATE INDEX "CustomerMerge_survivorId_idx" ON "CustomerMerge"("survivorId");

-- CreateIndex
CREATE INDEX "CustomerMerge_mergedId_idx" ON "CustomerMerge"("mergedId");

-- CreateIndex
CREATE INDEX "TicketViewer_workspaceId_seenAt_idx" ON "TicketViewer"("workspaceId", "seenAt");

-- CreateIndex
CREATE INDEX "HelpdeskCustomer_searchText_idx" ON "HelpdeskCustomer" USING GIN ("searchText" gin_trgm_ops);

-- CreateIndex
CREATE INDEX "Ticket_subject_idx" ON "Ticket" USING GIN ("subject" gin_trgm_ops);

-- CreateIndex
CREATE INDEX "TicketEntry_body_idx" ON "TicketEntry" USING GIN ("body" gin_trgm_ops);

-- CreateIndex
CREATE INDEX "TicketEntry_deliveryStatus_createdAt_idx" ON "TicketEntry"("deliveryStatus", "createdAt");

-- AddForeignKey
ALTER TABLE "WorkspaceMailSettings" ADD CONSTRAINT "WorkspaceMailSettings_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "Workspace"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Macro" ADD CONSTRAINT "Macro_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "Workspace"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CustomerMerge" ADD CONSTRAINT "CustomerMerge_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "Workspace"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CustomerMerge" ADD CONSTRAINT "CustomerMerge_survivorId_fkey" FOREIGN KEY ("survivorId") REFERENCES "HelpdeskCustomer"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TicketViewer" ADD CONSTRAINT "TicketViewer_ticketId_fkey" FOREIGN KEY ("ticketId") REFERENCES "Ticket"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TicketViewer" ADD CONSTRAINT "TicketViewer_agentId_fkey" FOREIGN KEY ("agentId") REFERENCES "Agent"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- HelpdeskCustomer.searchText: name, emails and phone digits, lower-cased and without accents, kept
-- by the database so no write path can forget it (unaccent is not immutable, so not a generated column).
CREATE FUNCTION "helpdesk_customer_search_text"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW."searchText" := lower(unaccent(concat_ws(' ',
    NEW."name",
    array_to_string(NEW."emails", ' '),
    (SELECT string_agg(regexp_replace(phone, '[^0-9]', '', 'g'), ' ') FROM unnest(NEW."phones") AS phone))));
  RETURN NEW;
END
$$;

CREATE TRIGGER "helpdesk_customer_search_text"
  BEFORE INSERT OR UPDATE OF "name", "emails", "phones", "searchText" ON "HelpdeskCustomer"
  FOR EACH ROW EXECUTE FUNCTION "helpdesk_customer_search_text"();

UPDATE "HelpdeskCustomer" SET "searchText" = '';
