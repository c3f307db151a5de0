/*
  Warnings:

  - You are about to drop the column `noteWrittenAt` on the `ShopifyCustomer` table. All the data in the column will be lost.

*/
-- AlterTable
ALTER TABLE "ShopifyCustomer" DROP COLUMN "noteWrittenAt",
ADD COLUMN     "noteWrittenUpdatedAt" TIMESTAMP(3);
