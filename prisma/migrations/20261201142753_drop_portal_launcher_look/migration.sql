/*
  Warnings:

  - You are about to drop the column `accentColor` on the `PortalSettings` table. All the data in the column will be lost.
  - You are about to drop the column `launcherLabel` on the `PortalSettings` table. All the data in the column will be lost.
  - You are about to drop the column `launcherPosition` on the `PortalSettings` table. All the data in the column will be lost.

*/
-- AlterTable
ALTER TABLE "PortalSettings" DROP COLUMN "accentColor",
DROP COLUMN "launcherLabel",
DROP COLUMN "launcherPosition";
