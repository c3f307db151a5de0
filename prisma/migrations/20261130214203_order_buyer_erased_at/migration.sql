-- AlterTable
ALTER TABLE "ShopifyOrder" ADD COLUMN     "buyerErasedAt" TIMESTAMP(3);
