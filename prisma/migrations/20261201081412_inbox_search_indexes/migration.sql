-- CreateIndex
CREATE INDEX "ShopifyOrder_name_idx" ON "ShopifyOrder"("name");

-- CreateIndex
CREATE INDEX "Ticket_workspaceId_lastMessageAt_id_idx" ON "Ticket"("workspaceId", "lastMessageAt" DESC, "id");

-- CreateIndex
CREATE INDEX "Ticket_workspaceId_createdAt_id_idx" ON "Ticket"("workspaceId", "createdAt" DESC, "id");

-- CreateIndex
CREATE INDEX "Ticket_workspaceId_priority_lastMessageAt_id_idx" ON "Ticket"("workspaceId", "priority", "lastMessageAt", "id");
