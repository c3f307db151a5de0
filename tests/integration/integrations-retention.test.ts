import { describe, expect, it } from "vitest";

// The events feed and the delivery log are kept for a while, not for ever
// (app/services/integrations/retention.server.ts): old history goes, anything still to be done stays.

const { db } = await import("~/db.server");
const { pruneIntegrationHistory, EVENT_RETENTION_DAYS, DELIVERY_RETENTION_DAYS } =
  await import("~/services/integrations/retention.server");

const DAY = 86_400_000;

async function world() {
  const workspace = await db.workspace.create({ data: { name: "Maple" } });
  const integration = await db.integration.create({
    data: { workspaceId: workspace.id, type: "http", name: "Loop Returns", http: { url: "https://example.com/" } },
  });
  return { workspaceId: workspace.id, integrationId: integration.id };
}

describe("integration history retention", () => {
  it("deletes dispatched events and finished deliveries past their time, keeps undispatched and unfinished ones", async () => {
    const { workspaceId, integrationId } = await world();
    const now = new Date();
    const old = (days: number) => new Date(now.getTime() - (days + 1) * DAY);
    const event = (createdAt: Date, dispatched: boolean) => ({
      workspaceId,
      type: "ticket-created",
      objectType: "Ticket",
      objectId: "1",
      createdAt,
      dispatchedAt: dispatched ? createdAt : null,
    });
    await db.apiEvent.createMany({
      data: [
        event(old(EVENT_RETENTION_DAYS), true),
        event(old(EVENT_RETENTION_DAYS), false),
        event(new Date(now.getTime() - DAY), true),
      ],
    });
    const delivery = (key: string, status: string, createdAt: Date) => ({
      workspaceId,
      integrationId,
      trigger: "ticket-created",
      idempotencyKey: key,
      status,
      requestMethod: "GET",
      requestUrl: "https://example.com/",
      createdAt,
    });
    await db.integrationDelivery.createMany({
      data: [
        delivery("old-succeeded", "succeeded", old(DELIVERY_RETENTION_DAYS)),
        delivery("old-gave-up", "gave_up", old(DELIVERY_RETENTION_DAYS)),
        delivery("old-pending", "pending", old(DELIVERY_RETENTION_DAYS)),
        delivery("old-failed", "failed", old(DELIVERY_RETENTION_DAYS)),
        delivery("recent", "succeeded", new Date(now.getTime() - DAY)),
      ],
    });

    const pruned = await pruneIntegrationHistory(now);

    expect(pruned.events).toBeGreaterThanOrEqual(1);
    const events = await db.apiEvent.findMany({ where: { workspaceId }, orderBy: { id: "asc" } });
    expect(events.map((e) => [e.dispatchedAt === null, e.createdAt > old(EVENT_RETENTION_DAYS)])).toEqual([
      [true, false],
      [false, true],
    ]);
    const deliveries = await db.integrationDelivery.findMany({
      where: { workspaceId },
      orderBy: { idempotencyKey: "asc" },
    });
    expect(deliveries.map((d) => d.idempotencyKey)).toEqual(["old-failed", "old-pending", "recent"]);
  });
});
