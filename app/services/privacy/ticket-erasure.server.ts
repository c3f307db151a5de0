import { db } from "~/db.server";
import { normalizeEmail, normalizePhone } from "~/domain/customer-identity";
import { ticketEventSchema } from "~/domain/tickets";
import type { Prisma } from "~/generated/prisma/client";
import { attachmentStore } from "~/services/storage/attachment-store.server";

// A shopper's tickets under customers/redact (docs/decisions/017-customer-merge.md, "Erasure"):
// what they wrote and what was written to or about them goes; the ticket's shell (number,
// channel, status, dates, tags, linked orders, already erased of the buyer) stays for the
// merchant's counts. Called by the privacy holders (services/privacy/personal-data.server.ts)
// before the Shopify customers are unlinked, so the people they point at are still known.

export interface TicketErasureRequest {
  shopDomain: string;
  customer: { id?: string | null; email?: string | null; phone?: string | null };
}

/** The subject an erased ticket keeps: its own may name the shopper ("Jane's parcel"). */
export const ERASED_SUBJECT = "(erased at the customer's request)";

const customerGid = (id: string) => `gid://shopify/Customer/${id}`;

/**
 * The tickets to erase: every ticket of a person who goes with this erasure (no live Shopify
 * customer left elsewhere), the tickets that came through this store of a person who stays (a
 * buyer of another store of the workspace, whose other support history is not this request's), and
 * this store's tickets written from the shopper's address with no person set.
 */
export async function ticketsToErase({ shopDomain, customer }: TicketErasureRequest) {
  const shop = await db.shop.findUnique({ where: { domain: shopDomain }, select: { id: true, workspaceId: true } });
  if (!shop) return { ids: [] as string[], people: [] as string[] };
  const email = normalizeEmail(customer.email);
  const phone = normalizePhone(customer.phone);
  const links = await db.shopifyCustomer.findMany({
    where: {
      shopId: shop.id,
      helpdeskCustomerId: { not: null },
      OR: [
        ...(customer.id ? [{ shopifyId: customerGid(customer.id) }] : []),
        ...(email ? [{ email }] : []),
        ...(phone ? [{ phone }] : []),
      ],
    },
    select: { id: true, helpdeskCustomerId: true },
  });
  if (links.length === 0 && !email) return { ids: [], people: [] };
  const people = [...new Set(links.map((link) => link.helpdeskCustomerId!))];
  const staying = new Set(
    (
      await db.shopifyCustomer.findMany({
        where: {
          helpdeskCustomerId: { in: people },
          deletedAt: null,
          id: { notIn: links.map((link) => link.id) },
        },
        select: { helpdeskCustomerId: true },
      })
    ).map((link) => link.helpdeskCustomerId!),
  );
  const leaving = people.filter((id) => !staying.has(id));
  const or: Prisma.TicketWhereInput[] = [
    { customerId: { in: leaving } },
    { customerId: { in: [...staying] }, shopId: shop.id },
  ];
  if (email) {
    or.push({
      shopId: shop.id,
      customerId: null,
      entries: { some: { kind: "customer_message", fromAddress: { equals: email, mode: "insensitive" } } },
    });
  }
  const tickets = await db.ticket.findMany({ where: { workspaceId: shop.workspaceId, OR: or }, select: { id: true } });
  return { ids: tickets.map((ticket) => ticket.id), people };
}

/** customers/data_request: the shopper's tickets with their threads, for the merchant to forward. */
export async function collectCustomerTickets(request: TicketErasureRequest) {
  const { ids } = await ticketsToErase(request);
  if (ids.length === 0) return [];
  return db.ticket.findMany({
    where: { id: { in: ids } },
    orderBy: { number: "asc" },
    select: {
      number: true,
      channel: true,
      subject: true,
      status: true,
      createdAt: true,
      entries: {
        where: { kind: { in: ["customer_message", "agent_reply"] } },
        orderBy: [{ createdAt: "asc" }, { seq: "asc" }],
        select: { kind: true, body: true, fromAddress: true, toAddresses: true, createdAt: true },
      },
    },
  });
}

/**
 * customers/redact: empties the shopper's tickets — every message, reply and internal note (their
 * text, addresses, message ids and attachments), names in system events, the subject — and unlinks
 * them from the person. Merge records of the people concerned go too: their undo snapshot is a
 * copy of the profile. Returns the number of tickets erased.
 */
export async function eraseCustomerTickets(request: TicketErasureRequest): Promise<number> {
  const { ids, people } = await ticketsToErase(request);
  const storedFiles: string[] = [];
  const erased = await db.$transaction(async (tx) => {
    if (people.length > 0) {
      await tx.customerMerge.deleteMany({
        where: { OR: [{ survivorId: { in: people } }, { mergedId: { in: people } }] },
      });
    }
    if (ids.length === 0) return 0;
    const stored = await tx.ticketAttachment.findMany({
      where: { entry: { ticketId: { in: ids } }, storageKey: { not: null } },
      select: { storageKey: true },
    });
    storedFiles.push(...stored.map((attachment) => attachment.storageKey!));
    await tx.ticketAttachment.deleteMany({ where: { entry: { ticketId: { in: ids } } } });
    await tx.ticketEntry.updateMany({
      where: { ticketId: { in: ids }, kind: { not: "system_event" } },
      data: {
        body: "",
        fromAddress: null,
        toAddresses: [],
        messageId: null,
        inReplyTo: null,
        references: [],
        deliveryError: null,
        authorCustomerId: null,
      },
    });
    // System events name people in a few kinds (the customer set, a merge): the names go, the fact stays.
    const events = await tx.ticketEntry.findMany({
      where: { ticketId: { in: ids }, kind: "system_event" },
      select: { id: true, event: true },
    });
    for (const entry of events) {
      const parsed = ticketEventSchema.safeParse(entry.event);
      if (!parsed.success) continue;
      const event = parsed.data;
      if (event.type === "customer_set" && event.toName !== null) {
        await tx.ticketEntry.update({ where: { id: entry.id }, data: { event: { ...event, toName: null } } });
      } else if (event.type === "customer_merged" && (event.fromName !== null || event.toName !== null)) {
        await tx.ticketEntry.update({
          where: { id: entry.id },
          data: { event: { ...event, fromName: null, toName: null } },
        });
      }
    }
    await tx.ticket.updateMany({ where: { id: { in: ids } }, data: { subject: ERASED_SUBJECT, customerId: null } });
    // Copies elsewhere: the events feed (subjects and tags in its changes, this erasure's own
    // included) and the integrations' delivery log (URLs rendered with the email, partners' answers).
    await tx.apiEvent.deleteMany({ where: { ticketId: { in: ids } } });
    await tx.integrationDelivery.deleteMany({ where: { ticketId: { in: ids } } });
    return ids.length;
  });
  // The bytes in the attachment store go once their rows are gone for good (after the commit: a
  // rolled-back erasure keeps its files). A file left by a failure here is named by no row.
  for (const key of storedFiles) await attachmentStore().delete(key);
  return erased;
}
