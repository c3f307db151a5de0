-- CreateEnum
CREATE TYPE "PortalReturnWindowFrom" AS ENUM ('created', 'delivered');

-- CreateEnum
CREATE TYPE "PortalCodeChannel" AS ENUM ('email', 'sms');

-- CreateEnum
CREATE TYPE "PortalRequestKind" AS ENUM ('return', 'cancel', 'issue');

-- CreateEnum
CREATE TYPE "PortalRequestStatus" AS ENUM ('received', 'approved', 'declined', 'done');

-- CreateTable
CREATE TABLE "PortalSettings" (
    "shopId" TEXT NOT NULL,
    "trackEnabled" BOOLEAN NOT NULL DEFAULT true,
    "returnEnabled" BOOLEAN NOT NULL DEFAULT true,
    "returnWindowFrom" "PortalReturnWindowFrom" NOT NULL DEFAULT 'delivered',
    "returnWindowDays" INTEGER NOT NULL DEFAULT 30,
    "loopReturnsUrl" TEXT,
    "cancelEnabled" BOOLEAN NOT NULL DEFAULT true,
    "cancelStatuses" TEXT[] DEFAULT ARRAY['unfulfilled', 'processing_fulfillment']::TEXT[],
    "reportIssueEnabled" BOOLEAN NOT NULL DEFAULT true,
    "issueOptions" JSONB,
    "signInEmailCode" BOOLEAN NOT NULL DEFAULT true,
    "signInSmsCode" BOOLEAN NOT NULL DEFAULT false,
    "signInOrderNumber" BOOLEAN NOT NULL DEFAULT true,
    "smsAccountSid" TEXT,
    "smsFrom" TEXT,
    "smsAuthTokenSealed" TEXT,
    "smsApiBaseUrl" TEXT,
    "accentColor" TEXT NOT NULL DEFAULT '#1f5199',
    "launcherPosition" TEXT NOT NULL DEFAULT 'right',
    "launcherLabel" TEXT,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "PortalSettings_pkey" PRIMARY KEY ("shopId")
);

-- CreateTable
CREATE TABLE "PortalSignInCode" (
    "id" TEXT NOT NULL,
    "shopId" TEXT NOT NULL,
    "channel" "PortalCodeChannel" NOT NULL,
    "destinationHash" TEXT NOT NULL,
    "codeHash" TEXT NOT NULL,
    "failedTries" INTEGER NOT NULL DEFAULT 0,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "usedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "PortalSignInCode_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "PortalRateEvent" (
    "id" BIGSERIAL NOT NULL,
    "shopId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "PortalRateEvent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "PortalSession" (
    "id" TEXT NOT NULL,
    "shopId" TEXT NOT NULL,
    "method" TEXT NOT NULL,
    "shopifyCustomerId" TEXT,
    "email" TEXT,
    "phone" TEXT,
    "orderId" TEXT,
    "locale" TEXT NOT NULL DEFAULT 'en',
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastSeenAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "revokedAt" TIMESTAMP(3),
    "tracks" INTEGER NOT NULL DEFAULT 0,
    "requests" INTEGER NOT NULL DEFAULT 0,
    "reachedAgentAt" TIMESTAMP(3),

    CONSTRAINT "PortalSession_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "PortalRequest" (
    "id" TEXT NOT NULL,
    "shopId" TEXT NOT NULL,
    "sessionId" TEXT,
    "orderId" TEXT NOT NULL,
    "ticketId" TEXT NOT NULL,
    "kind" "PortalRequestKind" NOT NULL,
    "status" "PortalRequestStatus" NOT NULL DEFAULT 'received',
    "details" JSONB NOT NULL,
    "shopifyReference" TEXT,
    "decidedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "PortalRequest_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "PortalSignInCode_shopId_destinationHash_createdAt_idx" ON "PortalSignInCode"("shopId", "destinationHash", "createdAt");

-- CreateIndex
CREATE INDEX "PortalSignInCode_expiresAt_idx" ON "PortalSignInCode"("expiresAt");

-- CreateIndex
CREATE INDEX "PortalRateEvent_shopId_kind_key_at_idx" ON "PortalRateEvent"("shopId", "kind", "key", "at");

-- CreateIndex
CREATE INDEX "PortalRateEvent_at_idx" ON "PortalRateEvent"("at");

-- CreateIndex
CREATE INDEX "PortalSession_shopId_createdAt_idx" ON "PortalSession"("shopId", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "PortalRequest_ticketId_key" ON "PortalRequest"("ticketId");

-- CreateIndex
CREATE INDEX "PortalRequest_shopId_orderId_idx" ON "PortalRequest"("shopId", "orderId");

-- CreateIndex
CREATE INDEX "PortalRequest_sessionId_idx" ON "PortalRequest"("sessionId");

-- AddForeignKey
ALTER TABLE "PortalSettings" ADD CONSTRAINT "PortalSettings_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PortalSignInCode" ADD CONSTRAINT "PortalSignInCode_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PortalRateEvent" ADD CONSTRAINT "PortalRateEvent_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PortalSession" ADD CONSTRAINT "PortalSession_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PortalRequest" ADD CONSTRAINT "PortalRequest_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PortalRequest" ADD CONSTRAINT "PortalRequest_sessionId_fkey" FOREIGN KEY ("sessionId") REFERENCES "PortalSession"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PortalRequest" ADD CONSTRAINT "PortalRequest_orderId_fkey" FOREIGN KEY ("orderId") REFERENCES "ShopifyOrder"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PortalRequest" ADD CONSTRAINT "PortalRequest_ticketId_fkey" FOREIGN KEY ("ticketId") REFERENCES "Ticket"("id") ON DELETE CASCADE ON UPDATE CASCADE;
