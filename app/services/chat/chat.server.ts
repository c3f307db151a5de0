import { z } from "zod";
import { db } from "~/db.server";
import { env } from "~/env.server";
import {
  chatHasReverted,
  chatRevertsAt,
  chatStep,
  isWidgetEntry,
  lastWidgetMessage,
  MAX_CHAT_HOPS,
  type ChatTicketState,
} from "~/domain/chat-rules";
import { isOpen } from "~/domain/business-hours";
import { normalizeEmail } from "~/domain/customer-identity";
import { Prisma } from "~/generated/prisma/client";
import { storableString } from "~/lib/storable-text";
import { getBusinessHours } from "~/models/business-hours.server";
import { resolveHelpdeskCustomer } from "~/models/helpdesk-customer.server";
import { recordAgentContact } from "~/models/portal-usage.server";
import { markQuickAnswersContacted } from "~/models/quick-answer-use.server";
import { addCustomerMessage, openTicket, TicketChangeRefused } from "~/models/ticket.server";
import { VIEWER_STALE_AFTER_MS } from "~/models/ticket-viewer.server";
import type { ChatVisitorRow } from "./chat-http.server";

// A storefront visitor's chat (decision 026): which chat ticket the widget shows, its messages as
// the widget sees them (no notes, no system events), and what the shopper does in it. Every query
// is scoped by the visitor the chat token names: its shop and workspace come from its row.

type Tx = Prisma.TransactionClient;
type Visitor = Pick<ChatVisitorRow, "id" | "shopId" | "workspaceId" | "ticketId" | "email" | "name" | "customerId">;

/** The chat as the widget shows it. */
export interface ChatView {
  ticketId: string;
  number: number;
  status: "open" | "snoozed" | "closed";
  agentTyping: boolean;
  agentReadSeq: string;
  shopperReadSeq: string;
  reverted: boolean;
}

export interface ChatMessageView {
  seq: string;
  id: string;
  clientId?: string;
  from: "shopper" | "agent";
  authorName: string | null;
  body: string;
  createdAt: string;
  attachments: { id: string; filename: string; contentType: string; size: number; url: string }[];
}

/** How many messages one answer carries at most (the widget asks again with ?after). */
export const CHAT_PAGE_SIZE = 200;

/** Shopper typing lasts this long unless renewed (the widget renews it every few seconds). */
export const SHOPPER_TYPING_MS = 8_000;

const messageIdOf = (visitorId: string, clientId: string) => `chat:${visitorId}:${clientId}`;

const clientIdOf = (messageId: string | null, visitorId: string) => {
  const prefix = `chat:${visitorId}:`;
  return messageId?.startsWith(prefix) ? messageId.slice(prefix.length) : undefined;
};

const ticketState = {
  id: true,
  number: true,
  status: true,
  acceptsMessages: true,
  continuedInTicketId: true,
} as const;

async function findChatTicket(workspaceId: string, ticketId: string) {
  return db.ticket.findFirst({ where: { id: ticketId, workspaceId, channel: "chat" }, select: ticketState });
}

/**
 * The chat ticket the widget shows now, following a chat continued in another ticket (an agent
 * set another customer) and applying the 24-hour revert; the visitor's row is updated to match.
 * `reverted` is the chat that just reverted, for the stream to say so.
 */
export async function currentChat(
  visitor: Visitor,
  now = new Date(),
): Promise<{
  ticket: { id: string; number: number; status: ChatTicketState["status"] } | null;
  reverted: string | null;
  /** When this chat reverts if nobody writes (chatRevertsAt), or null. */
  revertsAt: Date | null;
}> {
  if (!visitor.ticketId) return { ticket: null, reverted: null, revertsAt: null };
  let ticket = await findChatTicket(visitor.workspaceId, visitor.ticketId);
  for (let hops = 0; ticket && hops < MAX_CHAT_HOPS; hops++) {
    const step = chatStep(ticket);
    if (!("follow" in step)) break;
    ticket = await findChatTicket(visitor.workspaceId, step.follow);
  }
  if (ticket && ticket.id !== visitor.ticketId) {
    // The chat goes on in a ticket setTicketCustomer made: the visitor and its thread follow it.
    await db.$transaction([
      db.chatVisitor.update({ where: { id: visitor.id }, data: { ticketId: ticket.id } }),
      db.chatThread.upsert({
        where: { ticketId: ticket.id },
        create: { ticketId: ticket.id, workspaceId: visitor.workspaceId, visitorId: visitor.id },
        update: {},
      }),
    ]);
    visitor.ticketId = ticket.id;
  }
  if (ticket) {
    const entries = await db.ticketEntry.findMany({
      where: {
        ticketId: ticket.id,
        workspaceId: visitor.workspaceId,
        kind: { in: ["customer_message", "agent_reply"] },
      },
      orderBy: { seq: "desc" },
      take: 1,
      select: { kind: true, createdAt: true, seq: true },
    });
    const last = lastWidgetMessage(entries);
    if (!chatHasReverted(last, now)) return { ticket, reverted: null, revertsAt: chatRevertsAt(last) };
  }
  await db.chatVisitor.updateMany({ where: { id: visitor.id, ticketId: visitor.ticketId }, data: { ticketId: null } });
  const reverted = ticket?.id ?? null;
  visitor.ticketId = null;
  return { ticket: null, reverted, revertsAt: null };
}

/** The Chat object of the widget's answers and `chat` events. */
export async function chatView(
  workspaceId: string,
  ticket: { id: string; number: number; status: ChatTicketState["status"] },
  now = new Date(),
  reverted = false,
): Promise<ChatView> {
  const [thread, typing] = await Promise.all([
    db.chatThread.findFirst({ where: { ticketId: ticket.id, workspaceId } }),
    db.ticketViewer.count({
      where: {
        ticketId: ticket.id,
        workspaceId,
        replying: true,
        seenAt: { gt: new Date(now.getTime() - VIEWER_STALE_AFTER_MS) },
      },
    }),
  ]);
  return {
    ticketId: ticket.id,
    number: ticket.number,
    status: ticket.status,
    agentTyping: typing > 0,
    agentReadSeq: String(thread?.agentReadSeq ?? 0n),
    shopperReadSeq: String(thread?.shopperReadSeq ?? 0n),
    reverted,
  };
}

/** The chat's messages after `afterSeq`, oldest first, as the widget shows them. */
export async function chatMessages(
  visitor: Pick<Visitor, "id" | "workspaceId">,
  ticketId: string,
  afterSeq: bigint = 0n,
): Promise<ChatMessageView[]> {
  const entries = await db.ticketEntry.findMany({
    where: {
      ticketId,
      workspaceId: visitor.workspaceId,
      kind: { in: ["customer_message", "agent_reply"] },
      seq: { gt: afterSeq },
    },
    orderBy: { seq: "asc" },
    take: CHAT_PAGE_SIZE,
    include: {
      authorAgent: { select: { name: true } },
      authorCustomer: { select: { name: true } },
      attachments: {
        select: { id: true, filename: true, contentType: true, size: true },
        orderBy: { createdAt: "asc" },
      },
    },
  });
  return entries.filter(isWidgetEntry).map((entry) => messageView(entry, visitor.id));
}

function messageView(
  entry: Prisma.TicketEntryGetPayload<{
    include: {
      authorAgent: { select: { name: true } };
      authorCustomer: { select: { name: true } };
      attachments: { select: { id: true; filename: true; contentType: true; size: true } };
    };
  }>,
  visitorId: string,
): ChatMessageView {
  const clientId = clientIdOf(entry.messageId, visitorId);
  return {
    seq: String(entry.seq),
    id: entry.id,
    ...(clientId ? { clientId } : {}),
    from: entry.kind === "agent_reply" ? "agent" : "shopper",
    authorName: entry.kind === "agent_reply" ? (entry.authorAgent?.name ?? null) : (entry.authorCustomer?.name ?? null),
    body: entry.body,
    createdAt: entry.createdAt.toISOString(),
    attachments: entry.attachments.map((attachment) => ({
      ...attachment,
      url: new URL(`/chat/attachments/${attachment.id}`, env.SHOPIFY_APP_URL).toString(),
    })),
  };
}

const entryWithViews = {
  authorAgent: { select: { name: true } },
  authorCustomer: { select: { name: true } },
  attachments: { select: { id: true, filename: true, contentType: true, size: true } },
} as const;

/**
 * GET /chat/state: the chat the widget shows (or none), its messages after `afterSeq`, and whether
 * agents are in now (the workspace's business hours).
 */
export async function chatState(visitor: Visitor, afterSeq: bigint = 0n, now = new Date()) {
  const online = isOpen(await getBusinessHours(visitor.workspaceId), now);
  const { ticket } = await currentChat(visitor, now);
  if (!ticket) return { chat: null, messages: [] as ChatMessageView[], online };
  const [chat, messages] = await Promise.all([
    chatView(visitor.workspaceId, ticket, now),
    chatMessages(visitor, ticket.id, afterSeq),
  ]);
  return { chat, messages, online };
}

export const ChatMessageBody = z.object({
  body: storableString({ error: "Write a message." })
    .transform((text) => text.trim())
    .pipe(z.string().min(1, "Write a message.").max(10_000, "This message is too long.")),
  clientId: z
    .string({ error: "clientId is missing." })
    .regex(/^[\w-]{1,64}$/, "clientId must be 1 to 64 letters, digits, - or _."),
  email: z.email({ error: "Enter a valid email address." }).max(254).optional(),
  name: storableString().max(100, "This name is too long.").optional(),
});
export type ChatMessageInput = z.infer<typeof ChatMessageBody>;

export type PostResult =
  | { ok: true; created: boolean; message: ChatMessageView; chat: ChatView }
  | { ok: false; status: 400 | 409; error: string };

export interface NewChatAttachment {
  filename: string;
  contentType: string;
  size: number;
  sha256: string;
  storageKey: string;
}

/**
 * Stores a shopper's message (and its attachments): on the chat the widget shows, or a new chat
 * ticket when there is none, it reverted, or it was closed. The same clientId again is the
 * message already stored. An anonymous visitor gives an email with their first message; the
 * ticket's customer is the person with that email (found or created as other channels do).
 */
export async function postChatMessage(
  visitor: Visitor & { portalSessionId: string | null },
  input: { body: string; clientId: string; email?: string; name?: string },
  attachments: NewChatAttachment[] = [],
  now = new Date(),
): Promise<PostResult> {
  const messageId = messageIdOf(visitor.id, input.clientId);
  const existing = await findMessage(visitor, messageId);
  if (existing) return existing;

  const email = visitor.email ?? normalizeEmail(input.email ?? null);
  if (!email) return { ok: false, status: 400, error: "Enter your email so we can answer you." };
  if (!visitor.email || (input.name && !visitor.name)) {
    await db.chatVisitor.update({
      where: { id: visitor.id },
      data: { email, name: visitor.name ?? input.name ?? null, lastSeenAt: now },
    });
    visitor.email = email;
    visitor.name = visitor.name ?? input.name ?? null;
  }

  const { ticket } = await currentChat(visitor, now);
  const taking = ticket ? chatStep({ ...ticket, acceptsMessages: true, continuedInTicketId: null }) : null;
  if (ticket && taking && "take" in taking) {
    try {
      // The message, its image and the visitor's marks in one transaction: a crash leaves all or none.
      await addCustomerMessage(
        visitor.workspaceId,
        ticket.id,
        { body: input.body, fromAddress: email, messageId, at: now },
        async (tx, entry) => {
          await attach(tx, visitor.workspaceId, entry.id, attachments);
          await contacted(tx, visitor, now);
          await tx.chatVisitor.update({ where: { id: visitor.id }, data: { lastSeenAt: now } });
        },
      );
    } catch (error) {
      // An agent moved the chat to another customer between our read and the write.
      if (error instanceof TicketChangeRefused) return { ok: false, status: 409, error: error.message };
      const sameSend = isUniqueViolation(error) && (await findMessage(visitor, messageId));
      if (sameSend) return sameSend;
      throw error;
    }
  } else {
    await storeFirstMessage(visitor, input, email, messageId, attachments, now).catch(async (error: unknown) => {
      // The same send, raced by its own retry, was stored by the other request (the unique index).
      if (isUniqueViolation(error) && (await findMessage(visitor, messageId))) return;
      throw error;
    });
  }
  const stored = await findMessage(visitor, messageId);
  if (!stored) throw new Error("The chat message just stored could not be read back.");
  return { ...stored, created: true };
}

/** A Prisma unique violation, from its query builder (P2002) or a raw statement (PostgreSQL 23505). */
function isUniqueViolation(error: unknown): boolean {
  if (!(error instanceof Prisma.PrismaClientKnownRequestError)) return false;
  return error.code === "P2002" || (error.code === "P2010" && JSON.stringify(error.meta ?? {}).includes("23505"));
}

/** The visitor's first message (or first after a revert or a closed chat): a new chat ticket. */
async function storeFirstMessage(
  visitor: Visitor & { portalSessionId: string | null },
  input: { body: string; name?: string },
  email: string,
  messageId: string,
  attachments: NewChatAttachment[],
  now: Date,
): Promise<void> {
  await db.$transaction(async (tx) => {
    const customerId =
      visitor.customerId ??
      (await resolveHelpdeskCustomer(tx, visitor.workspaceId, {
        email,
        phone: null,
        firstName: visitor.name ?? null,
        lastName: null,
      }));
    const opened = await openTicket(tx, visitor.workspaceId, {
      channel: "chat",
      subject: input.body ? null : "Image from the chat",
      customerId,
      shopId: visitor.shopId,
      tags: ["chat"],
      firstMessage: { body: input.body, fromAddress: email, messageId, at: now },
    });
    const entry = await tx.ticketEntry.findFirstOrThrow({
      where: { ticketId: opened.id, workspaceId: visitor.workspaceId, messageId },
      select: { id: true },
    });
    await attach(tx, visitor.workspaceId, entry.id, attachments);
    await tx.chatThread.create({
      data: { ticketId: opened.id, workspaceId: visitor.workspaceId, visitorId: visitor.id },
    });
    await tx.chatVisitor.update({
      where: { id: visitor.id },
      data: { ticketId: opened.id, customerId, lastSeenAt: now },
    });
    await contacted(tx, visitor, now);
    visitor.ticketId = opened.id;
    visitor.customerId = customerId;
  });
}

/** The shopper's message sent with this clientId, if it was stored already (a retried send). */
export async function findChatMessage(visitor: Visitor, clientId: string) {
  return findMessage(visitor, messageIdOf(visitor.id, clientId));
}

async function findMessage(visitor: Visitor, messageId: string): Promise<(PostResult & { ok: true }) | null> {
  const entry = await db.ticketEntry.findFirst({
    where: { workspaceId: visitor.workspaceId, messageId, kind: "customer_message", ticket: { channel: "chat" } },
    include: { ...entryWithViews, ticket: { select: { id: true, number: true, status: true } } },
  });
  if (!entry) return null;
  return {
    ok: true,
    created: false,
    message: messageView(entry, visitor.id),
    chat: await chatView(visitor.workspaceId, entry.ticket),
  };
}

async function attach(tx: Tx, workspaceId: string, entryId: string, attachments: NewChatAttachment[]) {
  if (attachments.length === 0) return;
  await tx.ticketAttachment.createMany({
    data: attachments.map((attachment) => ({ ...attachment, entryId, workspaceId, content: null })),
  });
}

/** The shopper reached an agent: billable for a portal session, and their recent quick answers did not deflect. */
async function contacted(tx: Tx, visitor: Visitor & { portalSessionId: string | null }, at: Date) {
  if (visitor.portalSessionId) {
    await recordAgentContact(tx, { shopId: visitor.shopId, portalSessionId: visitor.portalSessionId }, at);
  }
  await markQuickAnswersContacted(
    tx,
    { workspaceId: visitor.workspaceId, visitorId: visitor.id, portalSessionId: visitor.portalSessionId },
    at,
  );
}

/** POST /chat/typing: the shopper is (or stopped) typing in the chat the widget shows. */
export async function setShopperTyping(visitor: Visitor, typing: boolean, now = new Date()): Promise<void> {
  if (!visitor.ticketId) return;
  await db.chatThread.updateMany({
    where: { ticketId: visitor.ticketId, workspaceId: visitor.workspaceId, visitorId: visitor.id },
    data: { shopperTypingUntil: typing ? new Date(now.getTime() + SHOPPER_TYPING_MS) : null },
  });
}

/**
 * POST /chat/read: the widget showed the chat up to `upTo`. The mark only moves forward and never
 * past the chat's own newest entry (a seq of another ticket means nothing here).
 */
export async function markShopperRead(visitor: Visitor, upTo: bigint): Promise<void> {
  if (!visitor.ticketId) return;
  const newest = await db.ticketEntry.findFirst({
    where: { ticketId: visitor.ticketId, workspaceId: visitor.workspaceId, seq: { lte: upTo } },
    orderBy: { seq: "desc" },
    select: { seq: true },
  });
  if (!newest) return;
  await db.chatThread.updateMany({
    where: {
      ticketId: visitor.ticketId,
      workspaceId: visitor.workspaceId,
      visitorId: visitor.id,
      shopperReadSeq: { lt: newest.seq },
    },
    data: { shopperReadSeq: newest.seq },
  });
}

export const MAX_PAGE_URL_LENGTH = 2000;
export const MAX_PAGE_TITLE_LENGTH = 300;

export const ChatPresenceBody = z.object({
  // Storable first: an address may carry an escaped NUL that the URL check lets through.
  page: storableString({ error: "page must be the storefront page's http(s) address." }).pipe(
    z
      .url({ protocol: /^https?$/, error: "page must be the storefront page's http(s) address." })
      .max(8 * 1024, "This page address is too long."),
  ),
  title: storableString().max(2000, "This page title is too long.").optional(),
});

/** POST /chat/presence: the widget's heartbeat, with the page it is on (capped: it is shown to agents). */
export async function recordPresence(
  visitor: Pick<Visitor, "id">,
  page: { page: string; title?: string },
  now = new Date(),
): Promise<void> {
  await db.chatVisitor.update({
    where: { id: visitor.id },
    data: {
      lastSeenAt: now,
      lastPageUrl: page.page.slice(0, MAX_PAGE_URL_LENGTH),
      lastPageTitle: page.title?.trim().slice(0, MAX_PAGE_TITLE_LENGTH) || null,
    },
  });
}

/**
 * An attachment of one of this visitor's chats, as the widget may see it (a message, not a
 * note), or null: another visitor's is not found.
 */
export async function findVisitorAttachment(visitor: Pick<Visitor, "id" | "workspaceId">, attachmentId: string) {
  if (!z.uuid().safeParse(attachmentId).success) return null;
  return db.ticketAttachment.findFirst({
    where: {
      id: attachmentId,
      workspaceId: visitor.workspaceId,
      entry: {
        kind: { in: ["customer_message", "agent_reply"] },
        ticket: { channel: "chat", chatThread: { visitorId: visitor.id } },
      },
    },
    select: { id: true, filename: true, contentType: true, size: true, content: true, storageKey: true },
  });
}
