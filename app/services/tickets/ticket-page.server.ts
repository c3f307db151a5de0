import { db } from "~/db.server";
import type { Prisma } from "~/generated/prisma/client";
import { formatShopTime } from "~/components/formatting";
import { describeOrderStatus } from "~/domain/order-status";
import { orderTimeline, timelineEventLabelEn } from "~/domain/order-timeline";
import type { ShopifyOrderSnapshot } from "~/domain/shopify/snapshots";
import { describeTicketEvent, ticketEventSchema } from "~/domain/tickets";
import { listAgents } from "~/models/agent.server";
import { chatThreadState, markAgentRead, type ChatThreadState } from "~/models/chat-presence.server";
import { latestThreadPage } from "~/models/ticket.server";
import { ticketViewers } from "~/models/ticket-viewer.server";
import { portalRequestCard } from "~/services/portal/request-decisions.server";
import { INLINE_IMAGE_TYPES } from "./attachment-download.server";

// Everything the ticket page shows, read for one workspace and shaped for the browser: words and
// formatted times, never raw Shopify ids or internal event JSON.

type ThreadPage = Awaited<ReturnType<typeof latestThreadPage>>;
type ThreadRow = ThreadPage["entries"][number];

/** One thread entry as the page shows it. */
export function threadEntryView(entry: ThreadRow, timeZone: string | null) {
  const base = {
    id: entry.id,
    /** Insertion order, as digits: ties between entries of the same millisecond. */
    seq: entry.seq.toString(),
    kind: entry.kind,
    at: formatShopTime(entry.createdAt.toISOString(), timeZone),
    atIso: entry.createdAt.toISOString(),
  };
  if (entry.kind === "system_event") {
    const event = ticketEventSchema.safeParse(entry.event);
    return {
      ...base,
      text: event.success ? describeTicketEvent(event.data, entry.authorAgent) : "Something changed on this ticket",
      author: null,
      body: "",
      delivery: null,
      attachments: [],
    };
  }
  const author =
    entry.authorAgent?.name ??
    entry.authorCustomer?.name ??
    entry.authorCustomer?.emails[0] ??
    entry.fromAddress ??
    (entry.kind === "customer_message" ? "Customer" : isAutomaticReply(entry.event) ? "Automatic reply" : "Agent");
  return {
    ...base,
    text: null,
    author,
    body: entry.body,
    delivery:
      entry.kind === "agent_reply"
        ? { status: entry.deliveryStatus ?? "pending", error: entry.deliveryError, attempts: entry.deliveryAttempts }
        : null,
    attachments: entry.attachments.map(({ id, filename, contentType, size }) => ({
      id,
      filename,
      contentType,
      size,
      /** Shown as a thumbnail (the attachment route serves it inline); other files are listed. */
      image: INLINE_IMAGE_TYPES.has(contentType),
    })),
  };
}

export type ThreadEntryView = ReturnType<typeof threadEntryView>;

/** A reply the app sent on its own (addAutomaticReply): a portal request's confirmation. */
const isAutomaticReply = (event: unknown) =>
  typeof event === "object" && event !== null && (event as { type?: unknown }).type === "automatic_reply";

/** The thread page before `before` (or the latest), shaped for the page. */
export async function threadPageView(workspaceId: string, ticketId: string, timeZone: string | null, before?: string) {
  const page = await latestThreadPage(workspaceId, ticketId, { before, limit: 50 });
  return { entries: page.entries.map((entry) => threadEntryView(entry, timeZone)), hasEarlier: page.hasEarlier };
}

/** A linked order: its shopper-facing status and latest tracking news, from what sync stored. */
function linkedOrderView(
  order: { id: string; name: string; shopperStatus: string; snapshot: unknown; shopId: string; shopifyId: string },
  timeZone: string | null,
  currentShopId: string,
) {
  const snapshot = order.snapshot as ShopifyOrderSnapshot;
  let status: { label: string; detail: string | null } = { label: order.shopperStatus, detail: null };
  let timeline: { label: string; at: string | null }[] = [];
  try {
    const described = describeOrderStatus(snapshot);
    status = { label: described.label, detail: described.detail };
    timeline = orderTimeline(snapshot)
      .slice(-3)
      .reverse()
      .map((event) => ({ label: timelineEventLabelEn(event), at: formatShopTime(event.at, timeZone) }));
  } catch {
    // an old snapshot shape: the stored status word is still right
  }
  const numericId = order.shopifyId.split("/").pop() ?? "";
  return {
    id: order.id,
    name: order.name,
    status,
    timeline,
    /** The order page shows the signed-in shop's orders; another shop's order has no link here. */
    url: order.shopId === currentShopId && /^\d+$/.test(numericId) ? `/app/orders/${numericId}` : null,
  };
}

const PAGE_TICKET = {
  id: true,
  number: true,
  subject: true,
  channel: true,
  status: true,
  snoozedUntil: true,
  priority: true,
  tags: true,
  assigneeId: true,
  acceptsMessages: true,
  continuedInTicketId: true,
  createdAt: true,
  customerId: true,
  customer: { select: { id: true, name: true, emails: true, phones: true } },
} satisfies Prisma.TicketSelect;

/** The ticket page's data, or null when the ticket is not the workspace's. */
export async function ticketPageData(
  workspace: { workspaceId: string; shopId: string; timeZone: string | null },
  ticketId: string,
  agentId: string | null,
) {
  const { workspaceId, timeZone } = workspace;
  // One round of queries instead of a chain (decision 020): the ticket (only what the page shows;
  // findTicket's includes cost two more queries), its thread, agents, viewers, linked orders and
  // its customer's orders at once. Every query is scoped by workspace, so for another workspace's
  // ticket they all read nothing.
  const [ticket, thread, agents, viewers, linked, customerOrders, portalRequest, chatThread] = await Promise.all([
    db.ticket.findFirst({ where: { id: ticketId, workspaceId }, select: PAGE_TICKET }),
    threadPageView(workspaceId, ticketId, timeZone),
    listAgents(workspaceId),
    ticketViewers(workspaceId, ticketId, agentId),
    db.ticketOrder.findMany({
      where: { ticketId, ticket: { workspaceId } },
      orderBy: { linkedAt: "asc" },
      include: {
        order: {
          select: { id: true, name: true, shopperStatus: true, snapshot: true, shopId: true, shopifyId: true },
        },
      },
    }),
    customerOrderChoices(workspaceId, ticketId),
    portalRequestCard(workspaceId, ticketId),
    chatThreadState(workspaceId, ticketId),
  ]);
  if (!ticket) return null;
  const chat = ticket.channel === "chat" && chatThread ? chatView(chatThread, thread.entries) : null;
  // The agent's page now shows the shopper's messages up to here: the widget says "Seen". Only an
  // agent's own load counts, and markAgentRead writes only when the mark moves, so the reload its
  // announcement causes writes nothing and ends there.
  if (chat && agentId && chatThread) {
    const shopperSeqs = thread.entries.filter((e) => e.kind === "customer_message").map((e) => BigInt(e.seq));
    const upTo = shopperSeqs.reduce((max, seq) => (seq > max ? seq : max), 0n);
    if (upTo > chatThread.agentReadSeq) await markAgentRead(workspaceId, ticketId, upTo);
  }
  const linkedIds = new Set(linked.map(({ orderId }) => orderId));
  return {
    ticket: {
      id: ticket.id,
      number: ticket.number,
      subject: ticket.subject,
      channel: ticket.channel,
      status: ticket.status,
      snoozedUntil: ticket.snoozedUntil?.toISOString() ?? null,
      snoozedUntilLabel: formatShopTime(ticket.snoozedUntil?.toISOString() ?? null, timeZone),
      priority: ticket.priority,
      tags: ticket.tags,
      assigneeId: ticket.assigneeId,
      acceptsMessages: ticket.acceptsMessages,
      continuedInTicketId: ticket.continuedInTicketId,
      createdAt: formatShopTime(ticket.createdAt.toISOString(), timeZone),
      customer: ticket.customer
        ? {
            id: ticket.customer.id,
            name: ticket.customer.name,
            emails: ticket.customer.emails,
            phones: ticket.customer.phones,
          }
        : null,
    },
    thread,
    chat,
    agents,
    viewers,
    orders: linked.map(({ order }) => linkedOrderView(order, timeZone, workspace.shopId)),
    orderChoices: customerOrders.filter((order) => !linkedIds.has(order.id)),
    /** The shopper's portal request this ticket is (return, cancellation, issue), with its decision. */
    portalRequest: portalRequest
      ? { ...portalRequest, decidedAtLabel: formatShopTime(portalRequest.decidedAt, timeZone) }
      : null,
  };
}

/**
 * A chat ticket's live state as the page shows it: the shopper typing (and for how long the mark
 * lasts, since its running out is not announced), the agent reply the shopper has seen (the last
 * one, once their read mark covers it) and the page the visitor is on, when they are on the store.
 */
function chatView(state: ChatThreadState, entries: ThreadEntryView[]) {
  const lastReply = entries.filter((entry) => entry.kind === "agent_reply").at(-1);
  return {
    shopperTyping: state.shopperTyping,
    shopperTypingForMs: state.shopperTypingForMs,
    seenEntryId: lastReply && BigInt(lastReply.seq) <= state.shopperReadSeq ? lastReply.id : null,
    onStore: state.onStore ? { pageTitle: state.onStore.pageTitle, pageUrl: state.onStore.pageUrl } : null,
  };
}

/** The ticket's customer's recent orders in the workspace's shops, to link to the ticket. */
function customerOrderChoices(workspaceId: string, ticketId: string) {
  // Through the ticket, so this need not wait for the ticket's read to know its customer; one
  // statement (the customer's Shopify accounts in the workspace's shops, then their orders on
  // ShopifyOrder(shopId, shopifyCustomerId)) where Prisma needed two queries one after the other.
  // (shopId, shopifyId) is unique on ShopifyCustomer: an order joins at most one account.
  return db.$queryRaw<{ id: string; name: string }[]>`
    SELECT o.id, o.name
      FROM "Ticket" t
      JOIN "ShopifyCustomer" sc ON sc."helpdeskCustomerId" = t."customerId"
      JOIN "Shop" s ON s.id = sc."shopId" AND s."workspaceId" = ${workspaceId}
      JOIN "ShopifyOrder" o ON o."shopId" = sc."shopId" AND o."shopifyCustomerId" = sc."shopifyId"
     WHERE t.id = ${ticketId} AND t."workspaceId" = ${workspaceId} AND o."deletedAt" IS NULL
     ORDER BY o."shopifyCreatedAt" DESC, o.id DESC
     LIMIT 20`;
}
