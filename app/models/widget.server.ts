import { db } from "~/db.server";
import type { ListQuery, WidgetCreate, WidgetRecord, WidgetUpdate } from "~/domain/api-resources";
import type { Prisma } from "~/generated/prisma/client";

// A workspace's sidebar widgets. Every function takes the workspace first and finds nothing
// outside it; the caller checks that an integration_id is one of the workspace's integrations.

type Row = Prisma.WidgetGetPayload<object>;

const toRecord = (row: Row): WidgetRecord => ({
  id: row.id,
  context: row.context,
  type: row.type,
  integrationId: row.integrationId,
  appId: row.appId,
  order: row.order,
  template: row.template,
  createdAt: row.createdAt,
  updatedAt: row.updatedAt,
  deactivatedAt: row.deactivatedAt,
});

export async function createWidget(workspaceId: string, input: WidgetCreate): Promise<WidgetRecord> {
  const row = await db.widget.create({
    data: {
      workspaceId,
      context: input.context,
      type: input.type,
      integrationId: input.integration_id,
      appId: input.app_id,
      order: input.order,
      template: input.template as Prisma.InputJsonObject,
      deactivatedAt: input.deactivated_datetime ? new Date(input.deactivated_datetime) : null,
    },
  });
  return toRecord(row);
}

export async function getWidget(workspaceId: string, id: number): Promise<WidgetRecord | null> {
  const row = await db.widget.findFirst({ where: { id, workspaceId } });
  return row && toRecord(row);
}

export async function listWidgets(workspaceId: string, query: ListQuery & { integrationId?: number | null }) {
  const descending = query.order_by === "created_datetime:desc";
  const rows = await db.widget.findMany({
    where: {
      workspaceId,
      ...(query.integrationId ? { integrationId: query.integrationId } : {}),
      ...(query.cursor ? { id: descending ? { lt: query.cursor } : { gt: query.cursor } } : {}),
    },
    orderBy: { id: descending ? "desc" : "asc" },
    take: query.limit + 1,
  });
  const page = rows.slice(0, query.limit);
  return { items: page.map(toRecord), nextId: rows.length > query.limit ? page.at(-1)!.id : null };
}

export async function updateWidget(workspaceId: string, id: number, input: WidgetUpdate): Promise<WidgetRecord | null> {
  const data: Prisma.WidgetUpdateManyMutationInput & { integrationId?: number | null } = {};
  if (input.type !== undefined) data.type = input.type;
  if (input.template !== undefined) data.template = input.template as Prisma.InputJsonObject;
  if (input.context !== undefined) data.context = input.context;
  if (input.integration_id !== undefined) data.integrationId = input.integration_id;
  if (input.app_id !== undefined) data.appId = input.app_id;
  if (input.order !== undefined) data.order = input.order;
  if (input.deactivated_datetime !== undefined) {
    data.deactivatedAt = input.deactivated_datetime ? new Date(input.deactivated_datetime) : null;
  }
  const { count } = await db.widget.updateMany({ where: { id, workspaceId }, data });
  return count ? getWidget(workspaceId, id) : null;
}

export async function deleteWidget(workspaceId: string, id: number): Promise<boolean> {
  const { count } = await db.widget.deleteMany({ where: { id, workspaceId } });
  return count > 0;
}
