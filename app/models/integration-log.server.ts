import { db } from "~/db.server";
import { StoredHttpSchema } from "~/domain/api-resources";
import { integrationHealth, triggersSentence, urlHost, type IntegrationHealth } from "~/domain/integration-health";
import { decryptIntegrationHeaders } from "./integration.server";

// What Settings → Integrations reads: the workspace's integrations with their health, each one's
// delivery log, and the private-network switch. Every query is scoped by the workspace; header
// values are never read here (only their names, which the list shows).

export interface IntegrationSummary {
  id: number;
  name: string;
  host: string;
  triggers: string;
  health: IntegrationHealth;
  consecutiveFailures: number;
  circuitOpenedAt: Date | null;
}

export async function integrationSummaries(workspaceId: string): Promise<IntegrationSummary[]> {
  const rows = await db.integration.findMany({
    where: { workspaceId, type: "http" },
    orderBy: { id: "asc" },
    select: {
      id: true,
      name: true,
      http: true,
      deactivatedAt: true,
      circuitOpenedAt: true,
      consecutiveFailures: true,
      deliveries: {
        where: { status: { in: ["succeeded", "gave_up", "refused"] } },
        orderBy: { createdAt: "desc" },
        take: 1,
        select: { status: true },
      },
    },
  });
  return rows.map((row) => {
    const http = StoredHttpSchema.safeParse(row.http);
    return {
      id: row.id,
      name: row.name,
      host: http.success ? urlHost(http.data.url) : "",
      triggers: triggersSentence(http.success ? http.data.triggers : null),
      health: integrationHealth({
        deactivated: row.deactivatedAt !== null,
        circuitOpen: row.circuitOpenedAt !== null,
        consecutiveFailures: row.consecutiveFailures,
        lastStatus: row.deliveries[0]?.status ?? null,
      }),
      consecutiveFailures: row.consecutiveFailures,
      circuitOpenedAt: row.circuitOpenedAt,
    };
  });
}

/** The names of the integration's headers (values stay encrypted and server-side). */
export async function integrationHeaderNames(workspaceId: string, integrationId: number): Promise<string[] | null> {
  const row = await db.integration.findFirst({
    where: { id: integrationId, workspaceId },
    select: { workspaceId: true, headersEncrypted: true },
  });
  if (!row) return null;
  try {
    return Object.keys(decryptIntegrationHeaders(row));
  } catch {
    return [];
  }
}

export const DELIVERY_PAGE = 50;

/** The integration's latest calls, newest first (null when it is not the workspace's). */
export async function integrationDeliveries(workspaceId: string, integrationId: number, limit = DELIVERY_PAGE) {
  const exists = await db.integration.count({ where: { id: integrationId, workspaceId } });
  if (!exists) return null;
  return db.integrationDelivery.findMany({
    where: { workspaceId, integrationId },
    orderBy: { createdAt: "desc" },
    take: limit,
    select: {
      id: true,
      trigger: true,
      status: true,
      attempts: true,
      responseStatus: true,
      durationMs: true,
      createdAt: true,
      error: true,
      replayOfId: true,
    },
  });
}

/** One call with its request and response excerpt (null when it is not the workspace's). */
export function integrationDelivery(workspaceId: string, deliveryId: string) {
  return db.integrationDelivery.findFirst({
    where: { id: deliveryId, workspaceId },
    select: {
      id: true,
      integrationId: true,
      trigger: true,
      status: true,
      attempts: true,
      idempotencyKey: true,
      requestMethod: true,
      requestUrl: true,
      requestBody: true,
      responseStatus: true,
      responseExcerpt: true,
      error: true,
      durationMs: true,
      createdAt: true,
      finishedAt: true,
      replayOfId: true,
    },
  });
}

export async function privateNetworkAllowed(workspaceId: string): Promise<boolean> {
  const row = await db.workspace.findUnique({
    where: { id: workspaceId },
    select: { integrationsAllowPrivateNetwork: true },
  });
  return row?.integrationsAllowPrivateNetwork ?? false;
}

export async function setPrivateNetworkAllowed(workspaceId: string, allowed: boolean): Promise<void> {
  await db.workspace.update({ where: { id: workspaceId }, data: { integrationsAllowPrivateNetwork: allowed } });
}
