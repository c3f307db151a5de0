-- A chat message's messageId is "chat:<visitor>:<clientId>" (the widget's id for one send): unique,
-- so the same send arriving twice at once (a retry racing the first attempt) is stored once; the
-- loser reads the winner's message. Email Message-IDs are left alone (the same mail may reach
-- two tickets).
CREATE UNIQUE INDEX "TicketEntry_chat_messageId_key" ON "TicketEntry"("workspaceId", "messageId")
  WHERE "messageId" LIKE 'chat:%';
