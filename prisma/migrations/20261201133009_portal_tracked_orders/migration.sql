-- AlterTable
ALTER TABLE "PortalSession" ADD COLUMN     "trackedOrderIds" TEXT[] DEFAULT ARRAY[]::TEXT[];
