// DEV/DEMO ONLY: what the storefront widget's home view needs to show on a first demo: quick answers
// (the three starter flows, turned on) in every workspace, and business hours for North Trail
// Outfitters (weekdays in Vancouver, so its widget is offline part of the day and shows the contact
// form); the Maple Goods stores have none, so chat is online whenever the demo runs. Written once
// per workspace: a workspace that already has quick answers or hours is left as the demo user set it.
import { randomUUID } from "node:crypto";
import pg from "pg";
import { isOpen, type BusinessHours } from "../app/domain/business-hours.ts";
import { STARTER_QUICK_ANSWERS } from "../app/domain/starter-quick-answers.ts";

/** The store whose workspace gets business hours in the demo. */
export const DEMO_HOURS_SHOP = "north-trail.myshopify.com";

/** Weekdays 9:00–17:00 in Vancouver, closed on the coming Christmas Day. */
export function demoBusinessHours(now: Date): BusinessHours {
  const christmas = `${now.getUTCMonth() === 11 && now.getUTCDate() > 25 ? now.getUTCFullYear() + 1 : now.getUTCFullYear()}-12-25`;
  return {
    enabled: true,
    timezone: "America/Vancouver",
    weekly: ([1, 2, 3, 4, 5] as const).map((day) => ({ day, opens: "09:00", closes: "17:00" })),
    holidays: [{ date: christmas, name: "Christmas Day" }],
  };
}

export interface DemoChatSetup {
  /** Workspaces that got the starter quick answers now (0 on a restart). */
  seededQuickAnswers: number;
  /** North Trail's chat right now under its hours: "online" or "offline". */
  hoursShopState: "online" | "offline" | "not installed";
}

export async function seedDemoChatSettings(databaseUrl: string, now = new Date()): Promise<DemoChatSetup> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows: workspaces } = await client.query<{ id: string }>(
      `SELECT w.id FROM "Workspace" w
        WHERE EXISTS (SELECT 1 FROM "Shop" s WHERE s."workspaceId" = w.id)
          AND NOT EXISTS (SELECT 1 FROM "QuickAnswer" q WHERE q."workspaceId" = w.id)`,
    );
    for (const { id: workspaceId } of workspaces) {
      for (const [position, starter] of STARTER_QUICK_ANSWERS.entries()) {
        await client.query(
          `INSERT INTO "QuickAnswer" (id, "workspaceId", position, enabled, content, "updatedAt")
           VALUES ($1, $2, $3, true, $4, now())`,
          [randomUUID(), workspaceId, position, JSON.stringify(starter.content)],
        );
      }
    }
    const { rows: hoursShop } = await client.query<{ workspaceId: string }>(
      `SELECT "workspaceId" FROM "Shop" WHERE domain = $1 AND "uninstalledAt" IS NULL`,
      [DEMO_HOURS_SHOP],
    );
    let hoursShopState: DemoChatSetup["hoursShopState"] = "not installed";
    if (hoursShop[0]) {
      const { workspaceId } = hoursShop[0];
      const hours = demoBusinessHours(now);
      await client.query(
        `INSERT INTO "BusinessHours" ("workspaceId", enabled, timezone, weekly, holidays, "updatedAt")
         VALUES ($1, $2, $3, $4, $5, now()) ON CONFLICT ("workspaceId") DO NOTHING`,
        [workspaceId, hours.enabled, hours.timezone, JSON.stringify(hours.weekly), JSON.stringify(hours.holidays)],
      );
      const { rows } = await client.query<{
        enabled: boolean;
        timezone: string;
        weekly: BusinessHours["weekly"];
        holidays: BusinessHours["holidays"];
      }>(`SELECT enabled, timezone, weekly, holidays FROM "BusinessHours" WHERE "workspaceId" = $1`, [workspaceId]);
      hoursShopState = rows[0] && !isOpen(rows[0], now) ? "offline" : "online";
    }
    return { seededQuickAnswers: workspaces.length, hoursShopState };
  } finally {
    await client.end();
  }
}
