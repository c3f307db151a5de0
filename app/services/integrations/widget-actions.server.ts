import { randomUUID } from "node:crypto";
import { db } from "~/db.server";
import type { TicketEvent } from "~/domain/tickets";
import { buildActionRequest } from "~/domain/widget-template";
import { logger } from "~/lib/logger.server";
import { getIntegration } from "~/models/integration.server";
import { recordEvent } from "~/models/ticket.server";
import { toStorableText } from "~/lib/storable-text";
import { CUSTOM_ACTION_TRIGGER, responseExcerpt } from "./delivery.server";
import { sendOutboundRequest } from "./outbound.server";
import { widgetForCustomer } from "./widgets.server";

// An agent runs a sidebar widget's custom action (a button) on a ticket. The browser names the
// widget, the button (its ref in the resolved tree) and the values of the fields it may change;
// everything else — URL, method, fixed fields, the integration's secret headers — is read again
// here from the stored template and response, so a forged request can only fill editable fields.

export interface WidgetActionInput {
  widgetId: number;
  ref: string;
  values: Record<string, string>;
}

export type WidgetActionResult =
  | { ok: true; toast: string }
  /** 502: the request went out (or was refused on the way) and did not succeed; it is on the ticket. */
  | { ok: false; status: 400 | 404 | 502; errors: Record<string, string> };

const FAILURE_KEYS = ["message", "error", "detail", "errors"];
// Loop's deep link answers {"url": …}: the agent needs that link to send it on.
const SUCCESS_KEYS = ["url", "link", "message", "result", "status"];

/** The partner's own words, when its JSON body has them at the top ({"message": …}, {"url": …}). */
function partnerMessage(body: string, keys = FAILURE_KEYS): string | null {
  try {
    const json = JSON.parse(body) as Record<string, unknown>;
    for (const key of keys) {
      const value = json?.[key];
      if (typeof value === "string" && value.trim()) return toStorableText(value.trim().slice(0, 300));
    }
  } catch {
    // Not JSON: the status says enough.
  }
  return null;
}

/** host[:port] of a URL, "" when it is not one (a host with a {{ variable }} matches no action's). */
function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return "";
  }
}

export async function runWidgetAction(
  workspace: { id: string; timeZone: string | null },
  ticketId: string,
  agent: { id: string; name: string } | null,
  input: WidgetActionInput,
): Promise<WidgetActionResult> {
  const notFound = (message: string) => ({ ok: false as const, status: 404 as const, errors: { form: message } });
  const ticket = await db.ticket.findFirst({
    where: { id: ticketId, workspaceId: workspace.id },
    select: { id: true, workspaceId: true, channel: true, customerId: true },
  });
  if (!ticket) return notFound("This ticket does not exist or belongs to another workspace.");
  if (!ticket.customerId) return notFound("This ticket has no customer, so its widgets have no data.");
  const widget = await widgetForCustomer(workspace.id, input.widgetId, ticket.customerId, workspace.timeZone);
  if (!widget) return notFound("This widget no longer exists or has no data for this customer. Reload the page.");
  const action = widget.actions.get(input.ref);
  if (!action) return notFound("This action is no longer in the widget. Reload the page to see its current actions.");

  const built = buildActionRequest(action, input.values);
  if (!built.ok) return { ok: false, status: 400, errors: built.errors };
  const integration = await getIntegration(workspace.id, widget.integrationId);
  if (!integration) return notFound("This widget's integration no longer exists.");
  // Turned off means no calls, as for its trigger deliveries.
  if (integration.deactivatedAt) return notFound("This widget's integration is turned off, so its actions do not run.");
  // The integration's headers (the partner's key) first, and only to the integration's own host:
  // an action URL that a response field fills in ("{{url}}") or that names another service must
  // not carry the key there. The action's own headers may add to them.
  const actionHost = hostOf(built.request.url);
  const ownHost = actionHost !== "" && actionHost === hostOf(integration.http?.url ?? "");
  const headers = { ...(ownHost ? integration.headers : {}), ...built.request.headers };
  const sent = await sendOutboundRequest({
    workspaceId: workspace.id,
    method: built.request.method,
    url: built.request.url,
    headers,
    body: built.request.body,
  });

  const succeeded = sent.ok && sent.status >= 200 && sent.status < 300;
  const error = sent.ok ? (succeeded ? null : partnerMessage(sent.body)) : sent.error;
  const event: TicketEvent = {
    type: "widget_action_run",
    integrationName: integration.name,
    actionLabel: action.label,
    ok: succeeded,
    status: sent.ok ? sent.status : null,
    error,
    detail: succeeded && sent.ok ? partnerMessage(sent.body, SUCCESS_KEYS) : null,
  };
  await db.$transaction(async (tx) => {
    await recordEvent(tx, ticket, event, agent?.id ?? null);
    // The integration's delivery log lists actions run by hand beside trigger deliveries. The URL
    // and body are the merchant's own template; header values are never stored (secrets).
    await tx.integrationDelivery.create({
      data: {
        workspaceId: workspace.id,
        integrationId: integration.id,
        trigger: CUSTOM_ACTION_TRIGGER,
        ticketId: ticket.id,
        customerId: ticket.customerId,
        idempotencyKey: randomUUID(),
        status: succeeded ? "succeeded" : sent.ok ? "failed" : sent.refused ? "refused" : "failed",
        attempts: 1,
        requestMethod: built.request.method,
        requestUrl: built.request.url,
        requestBody: built.request.body ?? null,
        responseStatus: sent.ok ? sent.status : null,
        responseExcerpt: sent.ok ? responseExcerpt(sent.body) : null,
        error: sent.ok ? null : sent.error,
        durationMs: sent.durationMs,
        finishedAt: new Date(),
      },
    });
  });
  logger.info("widget action run", {
    workspaceId: workspace.id,
    ticketId,
    widgetId: widget.widgetId,
    integrationId: integration.id,
    ok: succeeded,
    status: sent.ok ? sent.status : null,
  });
  if (succeeded) return { ok: true, toast: `${action.label}: done` };
  // The request went out (or was refused) and is recorded on the ticket: the agent reads why.
  return {
    ok: false,
    status: 502,
    errors: {
      form: `${action.label} failed${sent.ok ? ` (HTTP ${sent.status})` : ""}: ${error ?? "the partner said no"}`,
    },
  };
}
