import { db } from "~/db.server";
import { BusinessHoursSchema, isTimeZone, type BusinessHours } from "~/domain/business-hours";
import type { Prisma } from "~/generated/prisma/client";
import { logger } from "~/lib/logger.server";

// A workspace's business hours (one row per workspace, decision 026). Callers pass the workspace
// they authenticated (the admin's shop, the App Proxy's shop), never one a browser named.

/** The zone a new schedule starts in: the store's own, when Shopify gave a valid one. */
export const defaultTimeZone = (shopTimeZone: string | null | undefined) =>
  shopTimeZone && isTimeZone(shopTimeZone) ? shopTimeZone : "UTC";

/**
 * The workspace's schedule as the domain reads it, or null when none was saved (always open). A
 * stored schedule that no longer validates (a zone the runtime dropped) also reads as always open,
 * logged: a widget wrongly offline would hide chat from every shopper.
 */
export async function getBusinessHours(workspaceId: string): Promise<BusinessHours | null> {
  const row = await db.businessHours.findUnique({ where: { workspaceId } });
  if (!row) return null;
  const parsed = BusinessHoursSchema.safeParse({
    enabled: row.enabled,
    timezone: row.timezone,
    weekly: row.weekly,
    holidays: row.holidays,
  });
  if (!parsed.success) {
    logger.warn("stored business hours do not validate; treated as always open", {
      workspaceId,
      problem: parsed.error.issues[0]?.message,
    });
    return null;
  }
  return parsed.data;
}

/** What the settings page edits: the saved schedule, or an empty one in the store's zone. */
export async function businessHoursForm(
  workspaceId: string,
  shopTimeZone: string | null | undefined,
): Promise<{ hours: BusinessHours; saved: boolean }> {
  const hours = await getBusinessHours(workspaceId);
  if (hours) return { hours, saved: true };
  return { hours: { enabled: false, timezone: defaultTimeZone(shopTimeZone), weekly: [], holidays: [] }, saved: false };
}

/** Saves a validated schedule (BusinessHoursSchema's output), intervals in day and time order. */
export async function saveBusinessHours(workspaceId: string, hours: BusinessHours): Promise<BusinessHours> {
  const weekly = [...hours.weekly].sort((a, b) => a.day - b.day || a.opens.localeCompare(b.opens));
  const holidays = [...hours.holidays].sort((a, b) => a.date.localeCompare(b.date));
  const data = { enabled: hours.enabled, timezone: hours.timezone, weekly, holidays };
  await db.businessHours.upsert({ where: { workspaceId }, create: { workspaceId, ...data }, update: data });
  return data;
}

/**
 * Gives the new workspace of a store leaving `fromWorkspaceId` a copy of its hours
 * (app/services/workspace-link.server.ts, in the move's transaction): without one, the store's
 * widget would turn "online" around the clock the moment it left.
 */
export async function copyBusinessHours(
  tx: Prisma.TransactionClient,
  fromWorkspaceId: string,
  toWorkspaceId: string,
): Promise<void> {
  const row = await tx.businessHours.findUnique({ where: { workspaceId: fromWorkspaceId } });
  if (!row) return;
  await tx.businessHours.create({
    data: {
      workspaceId: toWorkspaceId,
      enabled: row.enabled,
      timezone: row.timezone,
      weekly: row.weekly as Prisma.InputJsonValue,
      holidays: row.holidays as Prisma.InputJsonValue,
    },
  });
}
