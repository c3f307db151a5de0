-- DropIndex
DROP INDEX "ShopifyOrder_shopId_email_idx";

-- DropIndex
DROP INDEX "ShopifyOrder_shopId_shopifyCustomerId_idx";

-- CreateIndex
CREATE INDEX "ShopifyOrder_shopId_shopifyCustomerId_shopifyCreatedAt_id_idx" ON "ShopifyOrder"("shopId", "shopifyCustomerId", "shopifyCreatedAt" DESC, "id" DESC);

-- CreateIndex
CREATE INDEX "ShopifyOrder_shopId_email_shopifyCreatedAt_id_idx" ON "ShopifyOrder"("shopId", "email", "shopifyCreatedAt" DESC, "id" DESC);
