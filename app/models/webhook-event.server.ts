import { Prisma } from "~/generated/prisma/client";
import { db } from "~/db.server";

export interface IncomingWebhook {
  shopDomain: string;
  topic: string;
  eventId: string;
  webhookId: string;
  apiVersion: string;
  triggeredAt: Date | null;
  payload: unknown;
}

export type RecordResult = { kind: "new"; id: string } | { kind: "duplicate"; id: string; status: string };

/** Stores a delivery once; a second delivery of the same event reports the first one instead. */
export async function recordWebhookEvent(webhook: IncomingWebhook): Promise<RecordResult> {
  try {
    const row = await db.webhookEvent.create({
      data: { ...webhook, payload: webhook.payload as Prisma.InputJsonValue },
      select: { id: true },
    });
    return { kind: "new", id: row.id };
  } catch (error) {
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") {
      const existing = await db.webhookEvent.findUniqueOrThrow({
        where: { shopDomain_eventId: { shopDomain: webhook.shopDomain, eventId: webhook.eventId } },
        select: { id: true, status: true },
      });
      return { kind: "duplicate", ...existing };
    }
    throw error;
  }
}

export function getWebhookEvent(id: string) {
  return db.webhookEvent.findUnique({ where: { id } });
}

export async function markWebhookEvent(id: string, status: "processed" | "skipped") {
  // updateMany: shop/redact erases its own event row while it runs.
  await db.webhookEvent.updateMany({ where: { id }, data: { status, processedAt: new Date(), lastError: null } });
}

export async function markWebhookAttemptFailed(id: string, error: unknown) {
  const message = error instanceof Error ? error.message : String(error);
  // The row may be gone if the failing handler was shop/redact erasing its own shop's events.
  await db.webhookEvent.updateMany({
    where: { id },
    data: { status: "failed", lastError: message.slice(0, 2000), attempts: { increment: 1 } },
  });
}

export async function webhookActivity(shopDomain: string) {
  const [byStatus, latest] = await Promise.all([
    db.webhookEvent.groupBy({ by: ["status"], where: { shopDomain }, _count: { _all: true } }),
    db.webhookEvent.findMany({
      where: { shopDomain },
      orderBy: { receivedAt: "desc" },
      take: 25,
      select: {
        id: true,
        topic: true,
        status: true,
        receivedAt: true,
        processedAt: true,
        attempts: true,
        lastError: true,
      },
    }),
  ]);
  const counts = { received: 0, processed: 0, skipped: 0, failed: 0 };
  for (const group of byStatus) counts[group.status] = group._count._all;
  return { counts, latest };
}
