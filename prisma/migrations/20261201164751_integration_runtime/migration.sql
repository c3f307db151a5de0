-- AlterTable
ALTER TABLE "Integration" ADD COLUMN     "circuitOpenedAt" TIMESTAMP(3),
ADD COLUMN     "consecutiveFailures" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "failureAlertedAt" TIMESTAMP(3);

-- AlterTable
ALTER TABLE "Workspace" ADD COLUMN     "integrationsAllowPrivateNetwork" BOOLEAN NOT NULL DEFAULT false;

-- CreateTable
CREATE TABLE "ApiEvent" (
    "id" BIGSERIAL NOT NULL,
    "workspaceId" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "objectType" TEXT NOT NULL,
    "objectId" TEXT NOT NULL,
    "ticketId" TEXT,
    "data" JSONB,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ApiEvent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "IntegrationDelivery" (
    "id" TEXT NOT NULL,
    "workspaceId" TEXT NOT NULL,
    "integrationId" INTEGER NOT NULL,
    "eventId" BIGINT,
    "trigger" TEXT NOT NULL,
    "ticketId" TEXT,
    "customerId" TEXT,
    "idempotencyKey" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "requestMethod" TEXT NOT NULL,
    "requestUrl" TEXT NOT NULL,
    "requestBody" TEXT,
    "responseStatus" INTEGER,
    "responseExcerpt" TEXT,
    "error" TEXT,
    "durationMs" INTEGER,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finishedAt" TIMESTAMP(3),
    "replayOfId" TEXT,

    CONSTRAINT "IntegrationDelivery_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "IntegrationResponse" (
    "id" TEXT NOT NULL,
    "workspaceId" TEXT NOT NULL,
    "integrationId" INTEGER NOT NULL,
    "customerId" TEXT NOT NULL,
    "body" JSONB NOT NULL,
    "fetchedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "IntegrationResponse_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "ApiEvent_workspaceId_id_idx" ON "ApiEvent"("workspaceId", "id");

-- CreateIndex
CREATE INDEX "IntegrationDelivery_workspaceId_integrationId_createdAt_idx" ON "IntegrationDelivery"("workspaceId", "integrationId", "createdAt" DESC);

-- CreateIndex
CREATE UNIQUE INDEX "IntegrationDelivery_integrationId_idempotencyKey_key" ON "IntegrationDelivery"("integrationId", "idempotencyKey");

-- CreateIndex
CREATE INDEX "IntegrationResponse_workspaceId_customerId_idx" ON "IntegrationResponse"("workspaceId", "customerId");

-- CreateIndex
CREATE UNIQUE INDEX "IntegrationResponse_integrationId_customerId_key" ON "IntegrationResponse"("integrationId", "customerId");

-- AddForeignKey
ALTER TABLE "ApiEvent" ADD CONSTRAINT "ApiEvent_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "Workspace"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "IntegrationDelivery" ADD CONSTRAINT "IntegrationDelivery_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "Workspace"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "IntegrationDelivery" ADD CONSTRAINT "IntegrationDelivery_integrationId_fkey" FOREIGN KEY ("integrationId") REFERENCES "Integration"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "IntegrationResponse" ADD CONSTRAINT "IntegrationResponse_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "Workspace"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "IntegrationResponse" ADD CONSTRAINT "IntegrationResponse_integrationId_fkey" FOREIGN KEY ("integrationId") REFERENCES "Integration"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "IntegrationResponse" ADD CONSTRAINT "IntegrationResponse_customerId_fkey" FOREIGN KEY ("customerId") REFERENCES "HelpdeskCustomer"("id") ON DELETE CASCADE ON UPDATE CASCADE;
