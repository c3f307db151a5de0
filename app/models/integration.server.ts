import { z } from "zod";
import { db } from "~/db.server";
import {
  StoredHttpSchema,
  type IntegrationCreate,
  type IntegrationRecord,
  type IntegrationUpdate,
  type ListQuery,
  type StoredHttp,
} from "~/domain/api-resources";
import type { Prisma } from "~/generated/prisma/client";
import { decryptSecret, encryptSecret } from "~/lib/secrets.server";

// A workspace's HTTP integrations. Every function takes the workspace first and finds nothing
// outside it: another workspace's id is "not found". The headers (a partner's API key) are
// encrypted at rest, bound to the workspace and the integration.

const HeadersSchema = z.record(z.string(), z.string());

const headersContext = (workspaceId: string) => `integration-headers:${workspaceId}`;

const encryptHeaders = (workspaceId: string, headers: Record<string, string>) =>
  Object.keys(headers).length ? encryptSecret(JSON.stringify(headers), headersContext(workspaceId)) : null;

type Row = Prisma.IntegrationGetPayload<object>;

/** The stored headers in clear, for sending a call (never for a page: they carry the partner's key). */
export function decryptIntegrationHeaders(row: {
  workspaceId: string;
  headersEncrypted: string | null;
}): Record<string, string> {
  return row.headersEncrypted
    ? HeadersSchema.parse(JSON.parse(decryptSecret(row.headersEncrypted, headersContext(row.workspaceId))))
    : {};
}

function toRecord(row: Row): IntegrationRecord {
  const http = row.http === null ? null : StoredHttpSchema.safeParse(row.http);
  return {
    id: row.id,
    type: row.type,
    name: row.name,
    description: row.description,
    http: http?.success ? http.data : null,
    headers: decryptIntegrationHeaders(row),
    createdByKeyId: row.createdByKeyId,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
    deactivatedAt: row.deactivatedAt,
  };
}

const storedHttp = ({ headers: _headers, ...http }: IntegrationCreate["http"]): StoredHttp => http;

export async function createIntegration(
  workspaceId: string,
  input: IntegrationCreate,
  createdByKeyId: string | null,
): Promise<IntegrationRecord> {
  const row = await db.integration.create({
    data: {
      workspaceId,
      type: input.type,
      name: input.name,
      description: input.description,
      http: storedHttp(input.http) as Prisma.InputJsonObject,
      headersEncrypted: encryptHeaders(workspaceId, input.http.headers),
      createdByKeyId,
      deactivatedAt: input.deactivated_datetime ? new Date(input.deactivated_datetime) : null,
    },
  });
  return toRecord(row);
}

export async function getIntegration(workspaceId: string, id: number): Promise<IntegrationRecord | null> {
  const row = await db.integration.findFirst({ where: { id, workspaceId } });
  return row && toRecord(row);
}

/** A page of the workspace's integrations and the id the next page starts after (null: last page). */
export async function listIntegrations(workspaceId: string, query: ListQuery) {
  const descending = query.order_by === "created_datetime:desc";
  const rows = await db.integration.findMany({
    where: { workspaceId, ...(query.cursor ? { id: descending ? { lt: query.cursor } : { gt: query.cursor } } : {}) },
    orderBy: { id: descending ? "desc" : "asc" },
    take: query.limit + 1,
  });
  const page = rows.slice(0, query.limit);
  return { items: page.map(toRecord), nextId: rows.length > query.limit ? page.at(-1)!.id : null };
}

/** Applies the fields sent; `http` fields merge over the stored ones. Null when not the workspace's. */
export async function updateIntegration(
  workspaceId: string,
  id: number,
  input: IntegrationUpdate,
): Promise<IntegrationRecord | null> {
  const current = await getIntegration(workspaceId, id);
  if (!current) return null;
  const data: Prisma.IntegrationUpdateInput = {};
  if (input.name !== undefined) data.name = input.name;
  if (input.description !== undefined) data.description = input.description;
  if (input.deactivated_datetime !== undefined) {
    data.deactivatedAt = input.deactivated_datetime ? new Date(input.deactivated_datetime) : null;
  }
  if (input.http) {
    const { headers, ...rest } = input.http;
    const merged = StoredHttpSchema.parse({ ...current.http, ...rest });
    data.http = merged as Prisma.InputJsonObject;
    if (headers !== undefined) data.headersEncrypted = encryptHeaders(workspaceId, headers);
  }
  const { count } = await db.integration.updateMany({
    where: { id, workspaceId },
    data: data as Prisma.IntegrationUpdateManyMutationInput,
  });
  return count ? getIntegration(workspaceId, id) : null;
}

export async function deleteIntegration(workspaceId: string, id: number): Promise<boolean> {
  const { count } = await db.integration.deleteMany({ where: { id, workspaceId } });
  return count > 0;
}

/** Whether the id is one of the workspace's integrations (a widget may only point at those). */
export async function integrationExists(workspaceId: string, id: number): Promise<boolean> {
  return (await db.integration.count({ where: { id, workspaceId } })) > 0;
}
