-- The stuck-delivery sweep (every minute in each job process) looks only at unfinished deliveries,
-- and the retention sweep deletes the oldest finished ones and dispatched events
-- (docs/decisions/025-integrations.md, "How long the history is kept"): neither may scan the log.
CREATE INDEX "IntegrationDelivery_unfinished_idx" ON "IntegrationDelivery"("createdAt")
  WHERE "status" IN ('pending', 'failed');
CREATE INDEX "IntegrationDelivery_createdAt_idx" ON "IntegrationDelivery"("createdAt");
CREATE INDEX "ApiEvent_createdAt_idx" ON "ApiEvent"("createdAt");
