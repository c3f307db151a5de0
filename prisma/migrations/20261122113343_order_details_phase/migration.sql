-- AlterTable
ALTER TABLE "ShopifyOrder" ADD COLUMN     "detailsPending" BOOLEAN NOT NULL DEFAULT false;

-- AlterTable
ALTER TABLE "SyncState" ADD COLUMN     "detailsSynced" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "detailsTotal" INTEGER;

-- CreateIndex
CREATE INDEX "ShopifyOrder_shopId_detailsPending_idx" ON "ShopifyOrder"("shopId", "detailsPending");
