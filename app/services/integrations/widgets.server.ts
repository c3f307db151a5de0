import { formatShopDate, formatShopTime } from "~/components/formatting";
import { db } from "~/db.server";
import {
  parseWidgetTemplate,
  resolveWidget,
  type RenderNode,
  type ResolvedWidget,
  type ResolveOptions,
} from "~/domain/widget-template";

// Sidebar widgets (issue 11): each active widget of a workspace over the last response its HTTP
// integration stored for a customer, resolved on the server into a plain render tree (dates
// already in the store's zone, so the page hydrates with the same text). Custom actions' fixed
// values stay here: the tree only names the fields an agent may change.

/** Where a widget shows: the anchor's `user` is its old name for `customer`. */
export type WidgetPlace = "ticket" | "customer";
const CONTEXTS: Record<WidgetPlace, string[]> = { ticket: ["ticket"], customer: ["customer", "user"] };

export interface SidebarWidget {
  id: number;
  /** The integration's name, shown when the template's own card has no title. */
  name: string;
  tree: RenderNode;
}

export function resolveOptions(timeZone: string | null | undefined, now = new Date()): ResolveOptions {
  return {
    formatDateTime: (iso) => formatShopTime(iso, timeZone) ?? iso,
    // A calendar date has no zone: shown as written.
    formatDate: (iso) => formatShopDate(iso, "UTC") ?? iso,
    now,
  };
}

/** The widgets to show for a customer on a ticket or their profile, in the widgets' order. */
export async function sidebarWidgets(
  workspaceId: string,
  customerId: string,
  view: { place: WidgetPlace; timeZone: string | null | undefined },
): Promise<SidebarWidget[]> {
  const widgets = await db.widget.findMany({
    where: { workspaceId, deactivatedAt: null, context: { in: CONTEXTS[view.place] }, integrationId: { not: null } },
    orderBy: [{ order: "asc" }, { id: "asc" }],
    select: { id: true, template: true, integrationId: true, integration: { select: { name: true } } },
  });
  if (widgets.length === 0) return [];
  const responses = await db.integrationResponse.findMany({
    where: { workspaceId, customerId, integrationId: { in: widgets.map((widget) => widget.integrationId!) } },
    select: { integrationId: true, body: true },
  });
  const bodies = new Map(responses.map((response) => [response.integrationId, response.body]));
  const options = resolveOptions(view.timeZone);
  return widgets.flatMap((widget) => {
    if (!bodies.has(widget.integrationId!)) return [];
    const { tree } = resolveWidget(
      parseWidgetTemplate(widget.template).root,
      bodies.get(widget.integrationId!),
      options,
    );
    return tree ? [{ id: widget.id, name: widget.integration?.name ?? "Integration", tree }] : [];
  });
}

/**
 * One widget resolved over a customer's stored response, with its actions' filled requests (for
 * running one). Null when the widget is not the workspace's, is off, or has nothing stored.
 */
export async function widgetForCustomer(
  workspaceId: string,
  widgetId: number,
  customerId: string,
  timeZone: string | null | undefined,
): Promise<(ResolvedWidget & { widgetId: number; integrationId: number; name: string }) | null> {
  const widget = await db.widget.findFirst({
    where: { id: widgetId, workspaceId, deactivatedAt: null, integrationId: { not: null } },
    select: { id: true, template: true, integrationId: true, integration: { select: { name: true } } },
  });
  if (!widget?.integrationId) return null;
  const response = await db.integrationResponse.findFirst({
    where: { workspaceId, customerId, integrationId: widget.integrationId },
    select: { body: true },
  });
  if (!response) return null;
  const resolved = resolveWidget(parseWidgetTemplate(widget.template).root, response.body, resolveOptions(timeZone));
  return {
    ...resolved,
    widgetId: widget.id,
    integrationId: widget.integrationId,
    name: widget.integration?.name ?? "",
  };
}
