import { db } from "~/db.server";
import { normalizeEmail } from "~/domain/customer-identity";
import type { Prisma } from "~/generated/prisma/client";
import { ticketsToErase, type TicketErasureRequest } from "./ticket-erasure.server";

// The storefront chat's visitors (ChatVisitor: an email, a name, the pages they were on) under
// customers/data_request and customers/redact: this store's visitors that are the shopper — linked
// to one of the people their Shopify customers are, or carrying their email. Their chats are
// tickets, erased with the others (ticket-erasure.server.ts).

async function visitorsWhere(request: TicketErasureRequest): Promise<Prisma.ChatVisitorWhereInput | null> {
  const shop = await db.shop.findUnique({ where: { domain: request.shopDomain }, select: { id: true } });
  if (!shop) return null;
  const { people } = await ticketsToErase(request);
  const email = normalizeEmail(request.customer.email);
  const or: Prisma.ChatVisitorWhereInput[] = [
    ...(people.length > 0 ? [{ customerId: { in: people } }] : []),
    ...(email ? [{ email }] : []),
  ];
  return or.length > 0 ? { shopId: shop.id, OR: or } : null;
}

/** customers/data_request: what the chat widget kept about the shopper. */
export async function collectChatVisitors(request: TicketErasureRequest) {
  const where = await visitorsWhere(request);
  if (!where) return [];
  return db.chatVisitor.findMany({
    where,
    orderBy: { createdAt: "asc" },
    select: { email: true, name: true, lastSeenAt: true, lastPageUrl: true, lastPageTitle: true, createdAt: true },
  });
}

/** customers/redact: the shopper's visitors go (their chat tokens then name no one). */
export async function eraseChatVisitors(request: TicketErasureRequest): Promise<number> {
  const where = await visitorsWhere(request);
  if (!where) return 0;
  const { count } = await db.chatVisitor.deleteMany({ where });
  return count;
}
