import { db } from "~/db.server";
import type { ApiEventRow, EventListQuery } from "~/domain/api-events";

// The events feed as the REST API reads it: always by the workspace first, by id (which is the
// order they happened in), on the (workspaceId, id) index. The rows are written by database
// triggers (migration integration_events), never here.

const EVENT_SELECT = { id: true, type: true, objectType: true, objectId: true, data: true, createdAt: true } as const;

export async function listApiEvents(workspaceId: string, query: EventListQuery) {
  const descending = query.order_by === "created_datetime:desc";
  const rows: ApiEventRow[] = await db.apiEvent.findMany({
    where: {
      workspaceId,
      ...(query.types.length > 0 ? { type: { in: query.types } } : {}),
      ...(query.object_type ? { objectType: query.object_type } : {}),
      ...(query.object_id ? { objectId: query.object_id } : {}),
      ...(query.cursor ? { id: descending ? { lt: query.cursor } : { gt: query.cursor } } : {}),
    },
    orderBy: { id: descending ? "desc" : "asc" },
    take: query.limit + 1,
    select: EVENT_SELECT,
  });
  const page = rows.slice(0, query.limit);
  return { items: page, nextId: rows.length > query.limit ? Number(page.at(-1)!.id) : null };
}

export function getApiEvent(workspaceId: string, id: number): Promise<ApiEventRow | null> {
  return db.apiEvent.findFirst({ where: { id: BigInt(id), workspaceId }, select: EVENT_SELECT });
}
