-- AlterTable
ALTER TABLE "PortalRequest" ADD COLUMN     "decision" JSONB,
ADD COLUMN     "decisionStartedAt" TIMESTAMP(3);

-- AlterTable
ALTER TABLE "PortalSettings" ADD COLUMN     "cancelRefund" BOOLEAN NOT NULL DEFAULT true,
ADD COLUMN     "cancelRestock" BOOLEAN NOT NULL DEFAULT true;
