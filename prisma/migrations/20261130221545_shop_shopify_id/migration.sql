-- AlterTable
ALTER TABLE "Shop" ADD COLUMN     "shopifyId" TEXT;
