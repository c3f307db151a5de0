-- CreateEnum
CREATE TYPE "TicketChannel" AS ENUM ('chat', 'email', 'sms', 'portal_request', 'contact_form', 'api');

-- CreateEnum
CREATE TYPE "TicketStatus" AS ENUM ('open', 'snoozed', 'closed');

-- CreateEnum
CREATE TYPE "TicketPriority" AS ENUM ('low', 'normal', 'high', 'urgent');

-- CreateEnum
CREATE TYPE "TicketEntryKind" AS ENUM ('customer_message', 'agent_reply', 'internal_note', 'system_event');

-- CreateEnum
CREATE TYPE "TicketDeliveryStatus" AS ENUM ('pending', 'sent', 'failed');

-- AlterTable
ALTER TABLE "Workspace" ADD COLUMN     "lastTicketNumber" INTEGER NOT NULL DEFAULT 0;

-- CreateTable
CREATE TABLE "Agent" (
    "id" TEXT NOT NULL,
    "workspaceId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "email" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastSeenAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Agent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AgentLogin" (
    "id" TEXT NOT NULL,
    "agentId" TEXT NOT NULL,
    "shopId" TEXT NOT NULL,
    "shopifyUserId" TEXT NOT NULL,

    CONSTRAINT "AgentLogin_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Ticket" (
    "id" TEXT NOT NULL,
    "workspaceId" TEXT NOT NULL,
    "number" INTEGER NOT NULL,
    "channel" "TicketChannel" NOT NULL,
    "subject" TEXT NOT NULL,
    "status" "TicketStatus" NOT NULL DEFAULT 'open',
    "snoozedUntil" TIMESTAMP(3),
    "priority" "TicketPriority" NOT NULL DEFAULT 'normal',
    "tags" TEXT[],
    "assigneeId" TEXT,
    "customerId" TEXT,
    "shopId" TEXT,
    "acceptsMessages" BOOLEAN NOT NULL DEFAULT true,
    "continuedInTicketId" TEXT,
    "messageCount" INTEGER NOT NULL DEFAULT 0,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,
    "lastMessageAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastCustomerMessageAt" TIMESTAMP(3),
    "closedAt" TIMESTAMP(3),

    CONSTRAINT "Ticket_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "TicketOrder" (
    "ticketId" TEXT NOT NULL,
    "orderId" TEXT NOT NULL,
    "linkedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "TicketOrder_pkey" PRIMARY KEY ("ticketId","orderId")
);

-- CreateTable
CREATE TABLE "TicketEntry" (
    "id" TEXT NOT NULL,
    "ticketId" TEXT NOT NULL,
    "workspaceId" TEXT NOT NULL,
    "kind" "TicketEntryKind" NOT NULL,
    "channel" "TicketChannel" NOT NULL,
    "authorAgentId" TEXT,
    "authorCustomerId" TEXT,
    "body" TEXT NOT NULL DEFAULT '',
    "event" JSONB,
    "fromAddress" TEXT,
    "toAddresses" TEXT[],
    "messageId" TEXT,
    "inReplyTo" TEXT,
    "references" TEXT[],
    "deliveryStatus" "TicketDeliveryStatus",
    "deliveryError" TEXT,
    "deliveryAttempts" INTEGER NOT NULL DEFAULT 0,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "seq" BIGSERIAL NOT NULL,

    CONSTRAINT "TicketEntry_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "TicketAttachment" (
    "id" TEXT NOT NULL,
    "entryId" TEXT NOT NULL,
    "workspaceId" TEXT NOT NULL,
    "filename" TEXT NOT NULL,
    "contentType" TEXT NOT NULL,
    "size" INTEGER NOT NULL,
    "sha256" TEXT NOT NULL,
    "content" BYTEA NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "TicketAttachment_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "Agent_workspaceId_email_key" ON "Agent"("workspaceId", "email");

-- CreateIndex
CREATE INDEX "AgentLogin_agentId_idx" ON "AgentLogin"("agentId");

-- CreateIndex
CREATE UNIQUE INDEX "AgentLogin_shopId_shopifyUserId_key" ON "AgentLogin"("shopId", "shopifyUserId");

-- CreateIndex
CREATE INDEX "Ticket_workspaceId_status_lastMessageAt_id_idx" ON "Ticket"("workspaceId", "status", "lastMessageAt" DESC, "id");

-- CreateIndex
CREATE INDEX "Ticket_workspaceId_assigneeId_status_lastMessageAt_id_idx" ON "Ticket"("workspaceId", "assigneeId", "status", "lastMessageAt" DESC, "id");

-- CreateIndex
CREATE INDEX "Ticket_workspaceId_customerId_idx" ON "Ticket"("workspaceId", "customerId");

-- CreateIndex
CREATE INDEX "Ticket_status_snoozedUntil_idx" ON "Ticket"("status", "snoozedUntil");

-- CreateIndex
CREATE INDEX "Ticket_tags_idx" ON "Ticket" USING GIN ("tags");

-- CreateIndex
CREATE UNIQUE INDEX "Ticket_workspaceId_number_key" ON "Ticket"("workspaceId", "number");

-- CreateIndex
CREATE INDEX "TicketOrder_orderId_idx" ON "TicketOrder"("orderId");

-- CreateIndex
CREATE INDEX "TicketEntry_ticketId_createdAt_seq_idx" ON "TicketEntry"("ticketId", "createdAt", "seq");

-- CreateIndex
CREATE INDEX "TicketEntry_workspaceId_messageId_idx" ON "TicketEntry"("workspaceId", "messageId");

-- CreateIndex
CREATE INDEX "TicketAttachment_entryId_idx" ON "TicketAttachment"("entryId");

-- AddForeignKey
ALTER TABLE "Agent" ADD CONSTRAINT "Agent_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "Workspace"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AgentLogin" ADD CONSTRAINT "AgentLogin_agentId_fkey" FOREIGN KEY ("agentId") REFERENCES "Agent"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AgentLogin" ADD CONSTRAINT "AgentLogin_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Ticket" ADD CONSTRAINT "Ticket_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "Workspace"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Ticket" ADD CONSTRAINT "Ticket_assigneeId_fkey" FOREIGN KEY ("assigneeId") REFERENCES "Agent"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Ticket" ADD CONSTRAINT "Ticket_customerId_fkey" FOREIGN KEY ("customerId") REFERENCES "HelpdeskCustomer"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Ticket" ADD CONSTRAINT "Ticket_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TicketOrder" ADD CONSTRAINT "TicketOrder_ticketId_fkey" FOREIGN KEY ("ticketId") REFERENCES "Ticket"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TicketOrder" ADD CONSTRAINT "TicketOrder_orderId_fkey" FOREIGN KEY ("orderId") REFERENCES "ShopifyOrder"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TicketEntry" ADD CONSTRAINT "TicketEntry_ticketId_fkey" FOREIGN KEY ("ticketId") REFERENCES "Ticket"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TicketEntry" ADD CONSTRAINT "TicketEntry_authorAgentId_fkey" FOREIGN KEY ("authorAgentId") REFERENCES "Agent"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TicketEntry" ADD CONSTRAINT "TicketEntry_authorCustomerId_fkey" FOREIGN KEY ("authorCustomerId") REFERENCES "HelpdeskCustomer"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TicketAttachment" ADD CONSTRAINT "TicketAttachment_entryId_fkey" FOREIGN KEY ("entryId") REFERENCES "TicketEntry"("id") ON DELETE CASCADE ON UPDATE CASCADE;
