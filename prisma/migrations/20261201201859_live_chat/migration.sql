-- AlterTable
ALTER TABLE "TicketAttachment" ADD COLUMN     "storageKey" TEXT,
ALTER COLUMN "content" DROP NOT NULL;

-- CreateTable
CREATE TABLE "ChatVisitor" (
    "id" TEXT NOT NULL,
    "shopId" TEXT NOT NULL,
    "workspaceId" TEXT NOT NULL,
    "email" TEXT,
    "name" TEXT,
    "customerId" TEXT,
    "ticketId" TEXT,
    "lastSeenAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastPageUrl" TEXT,
    "lastPageTitle" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ChatVisitor_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ChatThread" (
    "ticketId" TEXT NOT NULL,
    "workspaceId" TEXT NOT NULL,
    "visitorId" TEXT,
    "shopperReadSeq" BIGINT NOT NULL DEFAULT 0,
    "agentReadSeq" BIGINT NOT NULL DEFAULT 0,
    "shopperTypingUntil" TIMESTAMP(3),
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ChatThread_pkey" PRIMARY KEY ("ticketId")
);

-- CreateTable
CREATE TABLE "QuickAnswer" (
    "id" TEXT NOT NULL,
    "workspaceId" TEXT NOT NULL,
    "position" INTEGER NOT NULL,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "content" JSONB NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "QuickAnswer_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "QuickAnswerUse" (
    "id" BIGSERIAL NOT NULL,
    "workspaceId" TEXT NOT NULL,
    "shopId" TEXT,
    "quickAnswerId" TEXT NOT NULL,
    "path" TEXT NOT NULL DEFAULT '',
    "locale" TEXT NOT NULL,
    "visitorId" TEXT,
    "portalSessionId" TEXT,
    "usedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "contactedAgentAt" TIMESTAMP(3),

    CONSTRAINT "QuickAnswerUse_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "BusinessHours" (
    "workspaceId" TEXT NOT NULL,
    "enabled" BOOLEAN NOT NULL DEFAULT false,
    "timezone" TEXT NOT NULL DEFAULT 'UTC',
    "weekly" JSONB NOT NULL DEFAULT '[]',
    "holidays" JSONB NOT NULL DEFAULT '[]',
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "BusinessHours_pkey" PRIMARY KEY ("workspaceId")
);

-- CreateIndex
CREATE INDEX "ChatVisitor_workspaceId_lastSeenAt_idx" ON "ChatVisitor"("workspaceId", "lastSeenAt" DESC);

-- CreateIndex
CREATE INDEX "ChatVisitor_shopId_idx" ON "ChatVisitor"("shopId");

-- CreateIndex
CREATE INDEX "ChatVisitor_customerId_idx" ON "ChatVisitor"("customerId");

-- CreateIndex
CREATE INDEX "ChatVisitor_ticketId_idx" ON "ChatVisitor"("ticketId");

-- CreateIndex
CREATE INDEX "ChatThread_workspaceId_idx" ON "ChatThread"("workspaceId");

-- CreateIndex
CREATE INDEX "ChatThread_visitorId_idx" ON "ChatThread"("visitorId");

-- CreateIndex
CREATE INDEX "QuickAnswer_workspaceId_position_idx" ON "QuickAnswer"("workspaceId", "position");

-- CreateIndex
CREATE INDEX "QuickAnswerUse_workspaceId_usedAt_idx" ON "QuickAnswerUse"("workspaceId", "usedAt");

-- CreateIndex
CREATE INDEX "QuickAnswerUse_quickAnswerId_usedAt_idx" ON "QuickAnswerUse"("quickAnswerId", "usedAt");

-- CreateIndex
CREATE INDEX "QuickAnswerUse_visitorId_usedAt_idx" ON "QuickAnswerUse"("visitorId", "usedAt");

-- CreateIndex
CREATE INDEX "QuickAnswerUse_portalSessionId_usedAt_idx" ON "QuickAnswerUse"("portalSessionId", "usedAt");

-- AddForeignKey
ALTER TABLE "ChatVisitor" ADD CONSTRAINT "ChatVisitor_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ChatVisitor" ADD CONSTRAINT "ChatVisitor_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "Workspace"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ChatVisitor" ADD CONSTRAINT "ChatVisitor_customerId_fkey" FOREIGN KEY ("customerId") REFERENCES "HelpdeskCustomer"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ChatVisitor" ADD CONSTRAINT "ChatVisitor_ticketId_fkey" FOREIGN KEY ("ticketId") REFERENCES "Ticket"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ChatThread" ADD CONSTRAINT "ChatThread_ticketId_fkey" FOREIGN KEY ("ticketId") REFERENCES "Ticket"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ChatThread" ADD CONSTRAINT "ChatThread_visitorId_fkey" FOREIGN KEY ("visitorId") REFERENCES "ChatVisitor"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "QuickAnswer" ADD CONSTRAINT "QuickAnswer_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "Workspace"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "QuickAnswerUse" ADD CONSTRAINT "QuickAnswerUse_quickAnswerId_fkey" FOREIGN KEY ("quickAnswerId") REFERENCES "QuickAnswer"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "BusinessHours" ADD CONSTRAINT "BusinessHours_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "Workspace"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- A chat's read marks and the shopper's typing reach the agents watching its ticket (and the
-- shopper's widget) like any change to the ticket (migration ticket_change_notifications).
CREATE TRIGGER "chat_thread_change_notify"
  AFTER INSERT OR UPDATE ON "ChatThread"
  FOR EACH ROW EXECUTE FUNCTION "shopdesk_notify_ticket_change"();
