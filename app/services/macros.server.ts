import { z } from "zod";
import { db } from "~/db.server";
import {
  describeMacroActions,
  isMacroLanguage,
  MACRO_VARIABLES,
  macroValues,
  missingVariables,
  previewLine,
  renderTemplate,
  type MacroFacts,
  type MacroLanguage,
} from "~/domain/macros";
import { describeTracking } from "~/domain/tracking-links";
import { normalizeTags, ticketEventSchema } from "~/domain/tickets";
import { findMacro, listMacros, MacroNotFoundError, recordMacroUse, type Macro } from "~/models/macro.server";
import {
  assignTicket,
  setTicketPriority,
  setTicketStatus,
  setTicketTags,
  TicketChangeRefused,
  TicketNotFoundError,
} from "~/models/ticket.server";
import { snoozeTicket } from "~/services/tickets/snooze.server";
import { decidePortalRequest, type AdminFor } from "~/services/portal/request-decisions.server";

// Macros on a ticket: the values of their variables for one ticket, the reply box's preview (no
// side effects), and applying a macro's actions when the reply that used it is sent. The ticket
// page calls these; every one is scoped by the workspace the caller is authenticated for, and
// another workspace's ticket or macro is "not found" (TicketNotFoundError, MacroNotFoundError).

/** The agent using the macro: whose name and email `current_user.*` are. */
export interface MacroAgent {
  id: string;
  name: string;
  email: string;
}

// ---- Facts for the variables -----------------------------------------------------------------

// The parts of an order snapshot the variables use; anything unreadable is simply missing.
const trackingSchema = z.object({
  company: z.string().nullable().catch(null),
  number: z.string().nullable().catch(null),
  url: z.string().nullable().catch(null),
});
const addressSchema = z.object({
  address1: z.string().nullable().optional(),
  address2: z.string().nullable().optional(),
  city: z.string().nullable().optional(),
  zip: z.string().nullable().optional(),
  province: z.string().nullable().optional(),
  country: z.string().nullable().optional(),
});
const orderDetailsSchema = z.object({
  processedAt: z.string().optional().catch(undefined),
  lineItems: z.array(z.object({ title: z.string(), quantity: z.number() })).catch([]),
  fulfillments: z
    .array(
      z.object({
        createdAt: z.string().catch(""),
        status: z.string().catch(""),
        tracking: z.array(trackingSchema).catch([]),
      }),
    )
    .catch([]),
  shippingAddress: addressSchema.nullable().catch(null),
});
const EMPTY_DETAILS: z.output<typeof orderDetailsSchema> = { lineItems: [], fulfillments: [], shippingAddress: null };

const ORDER_SELECT = {
  name: true,
  shopperStatus: true,
  totalAmount: true,
  currencyCode: true,
  shopifyCreatedAt: true,
  snapshot: true,
  shop: { select: { name: true, ianaTimezone: true } },
} as const;

interface OrderRow {
  name: string;
  shopperStatus: string;
  totalAmount: string;
  currencyCode: string;
  shopifyCreatedAt: Date;
  snapshot: unknown;
  shop: { name: string | null; ianaTimezone: string | null };
}

function orderFacts(order: OrderRow): NonNullable<MacroFacts["order"]> {
  const parsed = orderDetailsSchema.safeParse(order.snapshot);
  const details = parsed.success ? parsed.data : EMPTY_DETAILS;
  // The latest shipment that went out (a cancelled or failed one is not where the parcel is).
  const shipment = details.fulfillments
    .filter((fulfillment) => !["CANCELLED", "ERROR", "FAILURE"].includes(fulfillment.status))
    .filter((fulfillment) => fulfillment.tracking.length > 0)
    .sort((a, b) => b.createdAt.localeCompare(a.createdAt))[0];
  const tracking = shipment ? describeTracking(shipment.tracking[0]!) : null;
  const address = details.shippingAddress;
  const shippingAddress = address
    ? [address.address1, address.address2, [address.zip, address.city].filter(Boolean).join(" "), address.country]
        .map((part) => part?.trim())
        .filter(Boolean)
        .join(", ")
    : "";
  return {
    name: order.name,
    shopperStatus: order.shopperStatus,
    trackingUrl: tracking?.url ?? null,
    trackingNumber: tracking?.number ?? null,
    carrier: tracking?.carrier ?? null,
    totalAmount: order.totalAmount,
    currencyCode: order.currencyCode,
    createdAt: details.processedAt ?? order.shopifyCreatedAt.toISOString(),
    items: details.lineItems.filter((item) => item.quantity > 0),
    shippingAddress: shippingAddress || null,
  };
}

export interface MacroContext {
  facts: MacroFacts;
  /**
   * Where `ticket.order.*` comes from: the most recently placed order linked to the ticket, else
   * the customer's most recent order in the workspace's stores (said in the preview), else none.
   */
  orderSource: "linked" | "customer" | null;
  /** The customer's language when Shopify knows it and Shopdesk writes it: the picker lists it first. */
  customerLanguage: MacroLanguage | null;
}

/**
 * Everything the variables need for one ticket: the ticket, its customer, its order, the store it
 * came through (or the workspace's first) and the agent. Throws TicketNotFoundError when the
 * ticket is not this workspace's.
 */
export async function macroContext(
  workspaceId: string,
  ticketId: string,
  agent: MacroAgent | null,
): Promise<MacroContext> {
  const ticket = await db.ticket.findFirst({
    where: { id: ticketId, workspaceId },
    select: {
      number: true,
      subject: true,
      channel: true,
      shopId: true,
      shop: { select: { name: true, ianaTimezone: true } },
      customer: {
        select: {
          name: true,
          emails: true,
          phones: true,
          shopifyCustomers: {
            where: { deletedAt: null, shop: { workspaceId } },
            orderBy: { shopifyUpdatedAt: "desc" },
            select: { shopId: true, shopifyId: true, firstName: true, lastName: true, locale: true },
          },
        },
      },
      orders: {
        where: { order: { deletedAt: null, shop: { workspaceId } } },
        select: { order: { select: ORDER_SELECT } },
      },
    },
  });
  if (!ticket) throw new TicketNotFoundError();

  const shopifyCustomers = ticket.customer?.shopifyCustomers ?? [];
  // The ticket's own store's Shopify customer first: that is whom the customer wrote to.
  const shopifyCustomer =
    shopifyCustomers.find((link) => link.shopId === ticket.shopId && link.firstName) ??
    shopifyCustomers.find((link) => link.firstName);

  let orderSource: MacroContext["orderSource"] = null;
  let order: OrderRow | null =
    ticket.orders
      .map((link) => link.order)
      .sort((a, b) => b.shopifyCreatedAt.getTime() - a.shopifyCreatedAt.getTime())[0] ?? null;
  if (order) orderSource = "linked";
  else if (shopifyCustomers.length > 0) {
    order = await db.shopifyOrder.findFirst({
      where: {
        deletedAt: null,
        shop: { workspaceId },
        OR: shopifyCustomers.map((link) => ({ shopId: link.shopId, shopifyCustomerId: link.shopifyId })),
      },
      orderBy: { shopifyCreatedAt: "desc" },
      select: ORDER_SELECT,
    });
    if (order) orderSource = "customer";
  }

  const shop =
    ticket.shop ??
    order?.shop ??
    (await db.shop.findFirst({
      where: { workspaceId, uninstalledAt: null },
      orderBy: { createdAt: "asc" },
      select: { name: true, ianaTimezone: true },
    }));
  const mail = await db.workspaceMailSettings.findUnique({ where: { workspaceId }, select: { fromAddress: true } });
  const locale =
    shopifyCustomers
      .find((link) => link.locale)
      ?.locale?.slice(0, 2)
      .toLowerCase() ?? null;

  return {
    facts: {
      ticket: { number: ticket.number, subject: ticket.subject, channel: ticket.channel },
      customer: ticket.customer
        ? {
            name: ticket.customer.name,
            firstName: shopifyCustomer?.firstName ?? null,
            lastName: shopifyCustomer?.lastName ?? null,
            email: ticket.customer.emails[0] ?? null,
            phone: ticket.customer.phones[0] ?? null,
          }
        : null,
      order: order ? orderFacts(order) : null,
      shop: shop ? { name: shop.name, email: mail?.fromAddress ?? null, timeZone: shop.ianaTimezone } : null,
      agent: agent ? { name: agent.name, email: agent.email } : null,
    },
    orderSource,
    customerLanguage: locale && isMacroLanguage(locale) ? locale : null,
  };
}

// ---- The reply box -------------------------------------------------------------------------------

async function requireMacro(workspaceId: string, macroId: string): Promise<Macro> {
  // An id that is not a uuid cannot be a macro; asking the database would be an error, not a miss.
  if (!z.uuid().safeParse(macroId).success) throw new MacroNotFoundError();
  const macro = await findMacro(workspaceId, macroId);
  if (!macro) throw new MacroNotFoundError();
  return macro;
}

async function agentNames(workspaceId: string): Promise<Map<string, string>> {
  const agents = await db.agent.findMany({ where: { workspaceId }, select: { id: true, name: true } });
  return new Map(agents.map((agent) => [agent.id, agent.name]));
}

export interface RenderedMacro {
  macro: { id: string; name: string; language: MacroLanguage };
  /** The reply's text with this ticket's values: the agent edits it before sending. */
  body: string;
  /** What sending with this macro will do, one line each ("Close the ticket"). */
  actions: string[];
  /** Variables the text uses that have no value for this ticket (they rendered as nothing). */
  missing: { path: string; label: string }[];
  orderSource: MacroContext["orderSource"];
}

/**
 * The macro's text filled in for this ticket and its actions in words, for the reply box. Changes
 * nothing. Throws TicketNotFoundError or MacroNotFoundError for ids not of this workspace.
 */
export async function renderMacroForTicket(
  workspaceId: string,
  ticketId: string,
  macroId: string,
  agent: MacroAgent | null,
): Promise<RenderedMacro> {
  const macro = await requireMacro(workspaceId, macroId);
  const context = await macroContext(workspaceId, ticketId, agent);
  const values = macroValues(context.facts, macro.language);
  const labels = new Map(MACRO_VARIABLES.map((variable) => [variable.path, variable.label]));
  return {
    macro: { id: macro.id, name: macro.name, language: macro.language },
    body: renderTemplate(macro.body, values),
    actions: describeMacroActions(macro.actions, await agentNames(workspaceId)),
    missing: missingVariables(macro.body, values).map((path) => ({ path, label: labels.get(path) ?? path })),
    orderSource: context.orderSource,
  };
}

/** One entry of the MacroPicker (app/components/MacroPicker.tsx). */
export interface MacroPickerOption {
  id: string;
  name: string;
  language: string;
  /** The first line of the text, filled in for this ticket. */
  preview: string;
}

/**
 * The macros for the ticket's reply box: the customer's language first (when known), then most
 * used first. Throws TicketNotFoundError when the ticket is not this workspace's.
 */
export async function macroPickerOptions(
  workspaceId: string,
  ticketId: string,
  agent: MacroAgent | null,
): Promise<MacroPickerOption[]> {
  const [context, macros] = await Promise.all([macroContext(workspaceId, ticketId, agent), listMacros(workspaceId)]);
  const valuesByLanguage = new Map<MacroLanguage, ReturnType<typeof macroValues>>();
  const valuesIn = (language: MacroLanguage) => {
    let values = valuesByLanguage.get(language);
    if (!values) valuesByLanguage.set(language, (values = macroValues(context.facts, language)));
    return values;
  };
  const first = context.customerLanguage;
  return macros
    .map((macro, index) => ({ macro, index }))
    .sort((a, b) => Number(b.macro.language === first) - Number(a.macro.language === first) || a.index - b.index)
    .map(({ macro }) => ({
      id: macro.id,
      name: macro.name,
      language: macro.language,
      preview: previewLine(renderTemplate(macro.body, valuesIn(macro.language))),
    }));
}

// ---- Applying a macro ----------------------------------------------------------------------------

export interface AppliedMacro {
  /** What changed, in words ("Close the ticket"); an action that changed nothing is listed too. */
  applied: string[];
  /** Actions that could not be applied, with why (the rest still were). */
  skipped: { action: string; reason: string }[];
}

/**
 * Applies the macro's actions to the ticket as `agentId` (null when Shopify cannot say who is
 * signed in: "assign to me" is then skipped), after recording a `macro_applied` event and counting
 * the use. Call it when the reply written with the macro is sent. Each action goes through the
 * ticket model (one transaction and event each); one that the ticket refuses is reported in
 * `skipped` and the others still apply. Throws TicketNotFoundError or MacroNotFoundError for ids
 * not of this workspace, before changing anything.
 */
export async function applyMacroActions(
  workspaceId: string,
  ticketId: string,
  macroId: string,
  agentId: string | null,
  now = new Date(),
  options: { adminFor?: AdminFor } = {},
): Promise<AppliedMacro> {
  const macro = await requireMacro(workspaceId, macroId);
  await db.$transaction(async (tx) => {
    const ticket = await tx.ticket.findFirst({
      where: { id: ticketId, workspaceId },
      select: { id: true, channel: true },
    });
    if (!ticket) throw new TicketNotFoundError();
    if (agentId && (await tx.agent.count({ where: { id: agentId, workspaceId } })) === 0) {
      throw new TicketChangeRefused("This agent does not exist or belongs to another workspace.");
    }
    // The thread reads "Bea applied the macro …" before the changes it made.
    await tx.ticketEntry.create({
      data: {
        ticketId: ticket.id,
        workspaceId,
        kind: "system_event",
        channel: ticket.channel,
        authorAgentId: agentId,
        event: ticketEventSchema.parse({ type: "macro_applied", macroId: macro.id, macroName: macro.name }),
        createdAt: now,
      },
    });
    await recordMacroUse(tx, workspaceId, macro.id, now);
  });

  const { actions } = macro;
  const names = await agentNames(workspaceId);
  const result: AppliedMacro = { applied: [], skipped: [] };
  const attempt = async (line: string, change: () => Promise<unknown>) => {
    try {
      await change();
      result.applied.push(line);
    } catch (error) {
      if (!(error instanceof TicketChangeRefused)) throw error;
      result.skipped.push({ action: line, reason: error.message });
    }
  };
  const words = (part: Partial<typeof actions>) => describeMacroActions(part, names).join("; ");

  if (actions.addTags?.length || actions.removeTags?.length) {
    await attempt(words({ addTags: actions.addTags, removeTags: actions.removeTags }), async () => {
      // Read just before writing: setTicketTags replaces the whole set.
      const current = await db.ticket.findFirst({ where: { id: ticketId, workspaceId }, select: { tags: true } });
      if (!current) throw new TicketNotFoundError();
      const next = normalizeTags([...current.tags, ...(actions.addTags ?? [])]).filter(
        (tag) => !actions.removeTags?.includes(tag),
      );
      await setTicketTags(workspaceId, ticketId, next, agentId);
    });
  }
  if (actions.priority) {
    const priority = actions.priority;
    await attempt(words({ priority }), () => setTicketPriority(workspaceId, ticketId, priority, agentId));
  }
  if (actions.assignTo) {
    const assignTo = actions.assignTo;
    await attempt(words({ assignTo }), async () => {
      if (assignTo === "me" && !agentId)
        throw new TicketChangeRefused("Shopdesk could not tell who you are, so the ticket was not assigned to you.");
      const to = assignTo === "me" ? agentId : assignTo === "nobody" ? null : assignTo;
      if (to && to !== agentId && !names.has(to))
        throw new TicketChangeRefused("The agent this macro assigns to is no longer in your team.");
      await assignTicket(workspaceId, ticketId, to, agentId);
    });
  }
  if (actions.portalRequest) {
    const decision = actions.portalRequest;
    // Before the status: a macro that approves and closes closes a ticket whose request is done.
    await attempt(words({ portalRequest: decision }), async () => {
      const agent = agentId ? { id: agentId, name: names.get(agentId) ?? "An agent" } : null;
      const decided = await decidePortalRequest(
        workspaceId,
        ticketId,
        agent,
        decision === "approve" ? { action: "approve" } : { action: "decline", note: null, declineReason: null },
        { adminFor: options.adminFor },
      );
      if (!decided.ok) throw new TicketChangeRefused(decided.message);
    });
  }
  if (actions.status) {
    const { status, snoozeHours } = actions;
    await attempt(words({ status, snoozeHours }), async () => {
      if (status === "snoozed") {
        await snoozeTicket(
          workspaceId,
          ticketId,
          new Date(now.getTime() + (snoozeHours ?? 24) * 3600_000),
          agentId,
          now,
        );
      } else {
        await setTicketStatus(workspaceId, ticketId, { to: status }, agentId, now);
      }
    });
  }
  return result;
}
