-- AlterTable: the WebhookEvent table becomes the queue of events to process (decision 014).
ALTER TABLE "WebhookEvent" ADD COLUMN     "availableAt" TIMESTAMP(3) DEFAULT CURRENT_TIMESTAMP,
ADD COLUMN     "leasedUntil" TIMESTAMP(3);

-- Only events never processed are due. Failed ones keep retrying (or stay dead) through the
-- pg-boss jobs that were queued for them before this change.
UPDATE "WebhookEvent" SET "availableAt" = NULL WHERE "status" <> 'received';

-- CreateIndex
CREATE INDEX "WebhookEvent_availableAt_idx" ON "WebhookEvent"("availableAt");
