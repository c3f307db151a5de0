-- CreateEnum
CREATE TYPE "BackfillStatus" AS ENUM ('pending', 'running', 'completed', 'failed');

-- AlterTable
ALTER TABLE "Shop" ADD COLUMN     "notesSyncEnabled" BOOLEAN NOT NULL DEFAULT true;

-- CreateTable
CREATE TABLE "WorkspaceLinkCode" (
    "id" TEXT NOT NULL,
    "workspaceId" TEXT NOT NULL,
    "codeHash" TEXT NOT NULL,
    "createdByShopId" TEXT NOT NULL,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "usedAt" TIMESTAMP(3),
    "usedByShopId" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "WorkspaceLinkCode_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "HelpdeskCustomer" (
    "id" TEXT NOT NULL,
    "workspaceId" TEXT NOT NULL,
    "name" TEXT,
    "emails" TEXT[],
    "phones" TEXT[],
    "note" TEXT,
    "noteVersion" INTEGER NOT NULL DEFAULT 0,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "HelpdeskCustomer_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ShopifyCustomer" (
    "id" TEXT NOT NULL,
    "shopId" TEXT NOT NULL,
    "shopifyId" TEXT NOT NULL,
    "helpdeskCustomerId" TEXT,
    "email" TEXT,
    "phone" TEXT,
    "firstName" TEXT,
    "lastName" TEXT,
    "note" TEXT,
    "tags" TEXT[],
    "state" TEXT,
    "locale" TEXT,
    "numberOfOrders" INTEGER,
    "amountSpent" TEXT,
    "currencyCode" TEXT,
    "addresses" JSONB NOT NULL DEFAULT '[]',
    "shopifyCreatedAt" TIMESTAMP(3),
    "shopifyUpdatedAt" TIMESTAMP(3) NOT NULL,
    "deletedAt" TIMESTAMP(3),
    "noteWrittenByUs" TEXT,
    "noteWrittenAt" TIMESTAMP(3),
    "syncedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ShopifyCustomer_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ShopifyOrder" (
    "id" TEXT NOT NULL,
    "shopId" TEXT NOT NULL,
    "shopifyId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "email" TEXT,
    "phone" TEXT,
    "shopifyCustomerId" TEXT,
    "shopifyCreatedAt" TIMESTAMP(3) NOT NULL,
    "shopifyUpdatedAt" TIMESTAMP(3) NOT NULL,
    "cancelledAt" TIMESTAMP(3),
    "financialStatus" TEXT,
    "fulfillmentStatus" TEXT NOT NULL,
    "shopperStatus" TEXT NOT NULL,
    "totalAmount" TEXT NOT NULL,
    "currencyCode" TEXT NOT NULL,
    "snapshot" JSONB NOT NULL,
    "deletedAt" TIMESTAMP(3),
    "syncedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ShopifyOrder_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SyncState" (
    "shopId" TEXT NOT NULL,
    "backfillStatus" "BackfillStatus" NOT NULL DEFAULT 'pending',
    "backfillPhase" TEXT,
    "bulkOperationId" TEXT,
    "linesProcessed" INTEGER NOT NULL DEFAULT 0,
    "customersTotal" INTEGER,
    "customersSynced" INTEGER NOT NULL DEFAULT 0,
    "ordersTotal" INTEGER,
    "ordersSynced" INTEGER NOT NULL DEFAULT 0,
    "backfillStartedAt" TIMESTAMP(3),
    "backfillCompletedAt" TIMESTAMP(3),
    "backfillError" TEXT,
    "ordersCursor" TIMESTAMP(3),
    "customersCursor" TIMESTAMP(3),
    "lastReconciledAt" TIMESTAMP(3),
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "SyncState_pkey" PRIMARY KEY ("shopId")
);

-- CreateIndex
CREATE UNIQUE INDEX "WorkspaceLinkCode_codeHash_key" ON "WorkspaceLinkCode"("codeHash");

-- CreateIndex
CREATE INDEX "HelpdeskCustomer_workspaceId_idx" ON "HelpdeskCustomer"("workspaceId");

-- CreateIndex
CREATE INDEX "HelpdeskCustomer_emails_idx" ON "HelpdeskCustomer" USING GIN ("emails");

-- CreateIndex
CREATE INDEX "ShopifyCustomer_shopId_email_idx" ON "ShopifyCustomer"("shopId", "email");

-- CreateIndex
CREATE INDEX "ShopifyCustomer_shopId_phone_idx" ON "ShopifyCustomer"("shopId", "phone");

-- CreateIndex
CREATE INDEX "ShopifyCustomer_helpdeskCustomerId_idx" ON "ShopifyCustomer"("helpdeskCustomerId");

-- CreateIndex
CREATE INDEX "ShopifyCustomer_shopId_shopifyUpdatedAt_idx" ON "ShopifyCustomer"("shopId", "shopifyUpdatedAt");

-- CreateIndex
CREATE UNIQUE INDEX "ShopifyCustomer_shopId_shopifyId_key" ON "ShopifyCustomer"("shopId", "shopifyId");

-- CreateIndex
CREATE INDEX "ShopifyOrder_shopId_email_idx" ON "ShopifyOrder"("shopId", "email");

-- CreateIndex
CREATE INDEX "ShopifyOrder_shopId_shopifyCustomerId_idx" ON "ShopifyOrder"("shopId", "shopifyCustomerId");

-- CreateIndex
CREATE INDEX "ShopifyOrder_shopId_shopifyCreatedAt_idx" ON "ShopifyOrder"("shopId", "shopifyCreatedAt");

-- CreateIndex
CREATE INDEX "ShopifyOrder_shopId_shopifyUpdatedAt_idx" ON "ShopifyOrder"("shopId", "shopifyUpdatedAt");

-- CreateIndex
CREATE UNIQUE INDEX "ShopifyOrder_shopId_shopifyId_key" ON "ShopifyOrder"("shopId", "shopifyId");

-- AddForeignKey
ALTER TABLE "WorkspaceLinkCode" ADD CONSTRAINT "WorkspaceLinkCode_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "Workspace"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "HelpdeskCustomer" ADD CONSTRAINT "HelpdeskCustomer_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "Workspace"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ShopifyCustomer" ADD CONSTRAINT "ShopifyCustomer_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ShopifyCustomer" ADD CONSTRAINT "ShopifyCustomer_helpdeskCustomerId_fkey" FOREIGN KEY ("helpdeskCustomerId") REFERENCES "HelpdeskCustomer"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ShopifyOrder" ADD CONSTRAINT "ShopifyOrder_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SyncState" ADD CONSTRAINT "SyncState_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;
