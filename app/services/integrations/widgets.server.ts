import { formatShopDate, formatShopTime } from "~/components/formatting";
import { db } from "~/db.server";
import { nestsDeeperThan } from "~/lib/json-nesting";
import { isStorableJsonText, toStorableJson, UNSTORABLE_TEXT_MESSAGE } from "~/lib/storable-text";
import { updateWidget } from "~/models/widget.server";
import { TEMPLATE_MAX_DEPTH, WidgetTemplateSchema } from "~/domain/api-resources";
import {
  parseTemplateText,
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
    // A turned-off integration's card goes too: its stored answer is no longer kept up to date.
    where: {
      workspaceId,
      deactivatedAt: null,
      context: { in: CONTEXTS[view.place] },
      integration: { deactivatedAt: null },
    },
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

// ---- Settings → Sidebar widgets: the template editor ---------------------------------------------

/** The workspace's widgets for the settings list, in sidebar order. */
export async function widgetsForSettings(workspaceId: string, timeZone: string | null | undefined) {
  const widgets = await db.widget.findMany({
    where: { workspaceId },
    orderBy: [{ order: "asc" }, { id: "asc" }],
    select: {
      id: true,
      context: true,
      deactivatedAt: true,
      updatedAt: true,
      integration: { select: { name: true } },
    },
  });
  return widgets.map((widget) => ({
    id: widget.id,
    name: widget.integration?.name ?? "No integration",
    place: widget.context === "ticket" ? "Ticket page" : "Customer profile",
    active: widget.deactivatedAt === null,
    updated: formatShopTime(widget.updatedAt.toISOString(), timeZone) ?? "",
  }));
}

/** The most recent response the widget's integration stored (any customer): the preview's data. */
async function latestResponse(workspaceId: string, integrationId: number | null) {
  if (integrationId === null) return null;
  return db.integrationResponse.findFirst({
    where: { workspaceId, integrationId },
    orderBy: { fetchedAt: "desc" },
    select: { body: true, fetchedAt: true },
  });
}

export interface TemplatePreview {
  /** What was skipped or read differently, or why the text is not a template. */
  problems: string[];
  /** False: the text cannot be saved (not JSON, not an object, too deep or too large). */
  savable: boolean;
  tree: RenderNode | null;
}

/** The editor's verdict on a typed template and its rendering over a response. */
/** JSON nesting past any real template (16 widget levels take ~34): refused before it is walked. */
const MAX_TEMPLATE_JSON_DEPTH = 64;

export function previewTemplate(text: string, response: unknown, timeZone: string | null | undefined): TemplatePreview {
  // The checks below are recursive: thousands of levels would overflow the stack (a 500).
  if (nestsDeeperThan(text, MAX_TEMPLATE_JSON_DEPTH)) {
    const problem = `The template nests deeper than ${TEMPLATE_MAX_DEPTH} widgets: flatten it.`;
    return { problems: [problem], savable: false, tree: null };
  }
  const parsed = parseTemplateText(text);
  const shape = parsed.root ? WidgetTemplateSchema.safeParse(parsed.json) : null;
  const refusals =
    shape && !shape.success
      ? shape.error.issues.map((issue) =>
          issue.path.length ? `At ${issue.path.join(".")}: ${issue.message}.` : `The template: ${issue.message}.`,
        )
      : [];
  // A "\u0000" or lone "\ud800" escape reads as JSON but jsonb cannot keep it: say so, not a 500.
  const storable = isStorableJsonText(text) || toStorableJson(parsed.json) === parsed.json;
  if (!storable) refusals.unshift(`The template: ${UNSTORABLE_TEXT_MESSAGE}`);
  const tree = resolveWidget(parsed.root, response, resolveOptions(timeZone)).tree;
  return { problems: [...refusals, ...parsed.problems], savable: Boolean(shape?.success) && storable, tree };
}

/** A widget as its editor shows it; null when it is not the workspace's. */
export async function widgetEditor(workspaceId: string, widgetId: number, timeZone: string | null | undefined) {
  const widget = await db.widget.findFirst({
    where: { id: widgetId, workspaceId },
    select: {
      id: true,
      context: true,
      template: true,
      integrationId: true,
      deactivatedAt: true,
      integration: { select: { name: true } },
    },
  });
  if (!widget) return null;
  const sample = await latestResponse(workspaceId, widget.integrationId);
  const text = JSON.stringify(widget.template, null, 2);
  return {
    id: widget.id,
    name: widget.integration?.name ?? "No integration",
    place: widget.context === "ticket" ? "Ticket page" : "Customer profile",
    active: widget.deactivatedAt === null,
    templateText: text,
    sampleFetched: sample ? formatShopTime(sample.fetchedAt.toISOString(), timeZone) : null,
    preview: previewTemplate(text, sample?.body ?? null, timeZone),
  };
}

/** The editor's live preview of typed text over the integration's latest response. */
export async function previewWidgetText(
  workspaceId: string,
  widgetId: number,
  text: string,
  timeZone: string | null | undefined,
): Promise<TemplatePreview | null> {
  const widget = await db.widget.findFirst({ where: { id: widgetId, workspaceId }, select: { integrationId: true } });
  if (!widget) return null;
  const sample = await latestResponse(workspaceId, widget.integrationId);
  return previewTemplate(text, sample?.body ?? null, timeZone);
}

/** Saves typed text as the widget's template when it is one; the preview says why not otherwise. */
export async function saveWidgetTemplate(
  workspaceId: string,
  widgetId: number,
  text: string,
  timeZone: string | null | undefined,
): Promise<{ saved: boolean; preview: TemplatePreview } | null> {
  const preview = await previewWidgetText(workspaceId, widgetId, text, timeZone);
  if (!preview) return null;
  if (!preview.savable) return { saved: false, preview };
  const template = WidgetTemplateSchema.parse(JSON.parse(text));
  const updated = await updateWidget(workspaceId, widgetId, { template });
  return updated ? { saved: true, preview } : null;
}
