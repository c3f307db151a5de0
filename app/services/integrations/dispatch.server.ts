import { db } from "~/db.server";
import { StoredHttpSchema, type StoredHttp } from "~/domain/api-resources";
import {
  integrationTemplateValues,
  renderIntegrationRequest,
  type IntegrationFacts,
} from "~/domain/integration-template";
import { queueIntegrationDelivery } from "~/jobs/integration-kinds.server";
import { loadIntegrationFacts } from "./facts.server";

// Turns new ticket events (ApiEvent rows, written by database triggers) into deliveries for the
// workspace's active HTTP integrations whose trigger is on (docs/decisions/025-integrations.md).
// The ApiEvent table is the outbox: an event is marked dispatched in the same transaction that
// creates its deliveries, so a crash before the commit leaves it for the next pass, and a crash
// after it leaves pending deliveries that the stuck-delivery sweep queues.

export const DISPATCH_BATCH = 100;

interface PendingEvent {
  id: bigint;
  workspaceId: string;
  type: string;
  ticketId: string | null;
}

export interface ActiveIntegration {
  id: number;
  http: StoredHttp;
}

/** The workspace's integrations that run on `trigger`, in their execution order. */
function matching(integrations: ActiveIntegration[], trigger: string): ActiveIntegration[] {
  return integrations
    .filter(({ http }) => (http.triggers as Record<string, boolean | undefined>)[trigger] === true)
    .sort((a, b) => a.http.execution_order - b.http.execution_order || a.id - b.id);
}

/**
 * The delivery log row of one call of `integration` for a ticket. URL and body are rendered now, as
 * the ticket is, and kept for the log and the retries; headers (secrets) are rendered at each
 * attempt and never stored.
 */
export function newDelivery(
  integration: ActiveIntegration,
  facts: IntegrationFacts,
  values: ReturnType<typeof integrationTemplateValues>,
  call: { workspaceId: string; ticketId: string; trigger: string; eventId?: bigint; idempotencyKey: string },
) {
  const request = renderIntegrationRequest(integration.http, {}, values);
  return {
    id: crypto.randomUUID(),
    workspaceId: call.workspaceId,
    integrationId: integration.id,
    eventId: call.eventId ?? null,
    trigger: call.trigger,
    ticketId: call.ticketId,
    customerId: facts.customer?.id ?? null,
    idempotencyKey: call.idempotencyKey,
    requestMethod: request.method,
    requestUrl: request.url,
    requestBody: request.body ?? null,
  };
}

/** Idempotency key of the delivery of event `eventId` to an integration: stable across retries. */
export const eventIdempotencyKey = (eventId: bigint) => `shopdesk-event-${eventId}`;

/**
 * Dispatches up to `limit` undispatched events (any workspace; several processes share the work
 * with SKIP LOCKED) and queues their deliveries. Returns how many events it took.
 */
export async function dispatchApiEvents(limit = DISPATCH_BATCH): Promise<number> {
  const created: { workspaceId: string; id: string }[] = [];
  const taken = await db.$transaction(
    async (tx) => {
      const events = await tx.$queryRaw<PendingEvent[]>`
        SELECT "id", "workspaceId", "type", "ticketId" FROM "ApiEvent"
        WHERE "dispatchedAt" IS NULL ORDER BY "id" LIMIT ${limit} FOR UPDATE SKIP LOCKED`;
      if (events.length === 0) return 0;
      const workspaceIds = [...new Set(events.map((event) => event.workspaceId))];
      const rows = await tx.integration.findMany({
        where: { workspaceId: { in: workspaceIds }, type: "http", deactivatedAt: null },
        select: { id: true, workspaceId: true, http: true },
      });
      const byWorkspace = new Map<string, ActiveIntegration[]>();
      for (const row of rows) {
        const http = StoredHttpSchema.safeParse(row.http);
        if (!http.success) continue;
        byWorkspace.set(row.workspaceId, [
          ...(byWorkspace.get(row.workspaceId) ?? []),
          { id: row.id, http: http.data },
        ]);
      }
      const facts = new Map<string, IntegrationFacts | null>();
      for (const event of events) {
        const targets = matching(byWorkspace.get(event.workspaceId) ?? [], event.type);
        if (targets.length === 0 || !event.ticketId) continue;
        if (!facts.has(event.ticketId)) {
          facts.set(event.ticketId, await loadIntegrationFacts(event.workspaceId, event.ticketId));
        }
        const ticketFacts = facts.get(event.ticketId);
        if (!ticketFacts) continue; // the ticket is gone (erased): nothing to tell about it
        const values = integrationTemplateValues(ticketFacts);
        for (const integration of targets) {
          const data = newDelivery(integration, ticketFacts, values, {
            workspaceId: event.workspaceId,
            ticketId: event.ticketId,
            trigger: event.type,
            eventId: event.id,
            idempotencyKey: eventIdempotencyKey(event.id),
          });
          const inserted = await tx.integrationDelivery.createMany({ data, skipDuplicates: true });
          if (inserted.count) created.push({ workspaceId: event.workspaceId, id: data.id });
        }
      }
      await tx.$executeRaw`UPDATE "ApiEvent" SET "dispatchedAt" = now() WHERE "id" = ANY(${events.map((e) => e.id)})`;
      return events.length;
    },
    { timeout: 30_000 },
  );
  await Promise.all(created.map(({ workspaceId, id }) => queueIntegrationDelivery(workspaceId, id)));
  return taken;
}
