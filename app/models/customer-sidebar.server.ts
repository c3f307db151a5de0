import { z } from "zod";
import { firstLocation } from "~/components/customer-location";
import { noteSyncNotice } from "~/components/customer-note";
import { formatMoney, formatShopTime } from "~/components/formatting";
import { formatTimeAgo } from "~/components/relative-time";
import { db } from "~/db.server";
import { localTimeIn, timeZoneFor } from "~/domain/local-time";
import { CHANNEL_LABELS, STATUS_LABELS } from "~/domain/tickets";
import { lastSeenOnChat } from "./chat-presence.server";
import { getCustomerProfile, searchHelpdeskCustomers } from "./helpdesk-customer.server";

// One customer as an agent sees them next to a ticket or on their profile page: contact details,
// where they are and what time it is there, the note, their orders per store and their tickets.
// The profile route and the ticket page's sidebar both load it, so they never disagree.

/**
 * Where the agent is looking from: the store around the app (its orders link into the admin in
 * place, others open in a new tab; dates in its zone). Without it, every order opens in a new tab.
 */
export interface SidebarView {
  shopDomain: string;
  shopTimeZone: string | null;
  now?: Date;
}

/** gid://shopify/Order/123 → 123 */
const numericId = (gid: string) => gid.split("/").pop() ?? gid;

/**
 * The order in its store's admin. The current store's admin is the one around the app
 * (`shopify:admin/...`, App Bridge navigates in place); another store of the workspace opens in a
 * new tab, since the admin around us cannot show it.
 */
function orderAdminUrl(orderGid: string, shopDomain: string, currentDomain: string) {
  const id = numericId(orderGid);
  if (shopDomain === currentDomain) return { url: `shopify:admin/orders/${id}`, external: false };
  const handle = shopDomain.replace(/\.myshopify\.com$/, "");
  return { url: `https://admin.shopify.com/store/${handle}/orders/${id}`, external: true };
}

export interface OrderRow {
  id: string;
  name: string;
  date: string | null;
  createdAt: number;
  status: string;
  statusLabel: string;
  total: string;
  url: string;
  external: boolean;
  /** Shopdesk's view of the order with its tracking timeline: orders of the signed-in store only. */
  timelineUrl: string | null;
}

export interface StoreOrders {
  domain: string;
  name: string;
  current: boolean;
  /** The linked Shopify customers in this store, as the agent would recognise them. */
  accounts: string[];
  orders: OrderRow[];
}

const displayName = (person: { firstName: string | null; lastName: string | null }) =>
  [person.firstName, person.lastName].filter(Boolean).join(" ") || null;

const text = z.string().nullish().catch(null);
const AddressSchema = z.looseObject({ countryCode: text, provinceCode: text });

/** The zone of the first address that names a country (addresses are JSON: read through a schema). */
function timeZoneOf(addressLists: unknown[]): string | null {
  for (const addresses of addressLists) {
    if (!Array.isArray(addresses)) continue;
    for (const address of addresses) {
      const parsed = AddressSchema.safeParse(address);
      const zone = parsed.success ? timeZoneFor(parsed.data.countryCode, parsed.data.provinceCode) : null;
      if (zone) return zone;
    }
  }
  return null;
}

/** How many past tickets the sidebar lists (newest first); the inbox has the rest. */
export const SIDEBAR_TICKETS = 20;

/** The customer's tickets, newest activity first, with the words and link the lists show. */
export async function customerTickets(workspaceId: string, customerId: string, take = SIDEBAR_TICKETS) {
  const tickets = await db.ticket.findMany({
    where: { workspaceId, customerId },
    orderBy: [{ lastMessageAt: "desc" }, { id: "desc" }],
    take,
    select: { id: true, number: true, subject: true, status: true, channel: true, lastMessageAt: true },
  });
  return tickets.map((ticket) => ({
    ...ticket,
    statusLabel: STATUS_LABELS[ticket.status],
    channelLabel: CHANNEL_LABELS[ticket.channel],
    url: `/app/tickets/${ticket.id}`,
  }));
}

/**
 * Everything the ticket sidebar and the profile page show about a customer, within the workspace
 * (another workspace's id → null): name, emails, phones, location and local time, the note with
 * its version (for the editor's conflict check), orders per linked store and past tickets.
 */
export async function customerSidebar(
  workspaceId: string,
  customerId: string,
  view: SidebarView = { shopDomain: "", shopTimeZone: null },
) {
  const profile = await getCustomerProfile(workspaceId, customerId);
  if (!profile) return null;
  const now = view.now ?? new Date();
  const zone = view.shopTimeZone;

  // One group per store, in the order the customers are linked; the current store first.
  const stores = new Map<string, StoreOrders>();
  for (const customer of profile.shopifyCustomers) {
    const { domain } = customer.shop;
    const store = stores.get(domain) ?? {
      domain,
      name: customer.shop.name ?? domain,
      current: domain === view.shopDomain,
      accounts: [],
      orders: [],
    };
    store.accounts.push(displayName(customer) ?? customer.email ?? customer.phone ?? "Shopify customer");
    store.orders.push(
      ...customer.orders.map((order): OrderRow => ({
        id: order.id,
        name: order.name,
        date: formatShopTime(order.shopifyCreatedAt.toISOString(), zone),
        createdAt: order.shopifyCreatedAt.getTime(),
        status: order.shopperStatus,
        statusLabel: order.shopperStatusLabel,
        total: formatMoney(order.totalAmount, order.currencyCode),
        ...orderAdminUrl(order.shopifyId, domain, view.shopDomain),
        timelineUrl: domain === view.shopDomain ? `/app/orders/${numericId(order.shopifyId)}` : null,
      })),
    );
    stores.set(domain, store);
  }
  const shops = [...stores.values()]
    .sort((a, b) => Number(b.current) - Number(a.current))
    .map((store) => ({ ...store, orders: store.orders.sort((a, b) => b.createdAt - a.createdAt) }));

  const addressLists = profile.shopifyCustomers.map((customer) => customer.addresses);
  const timeZone = timeZoneOf(addressLists);
  const [tickets, seenOnChat] = await Promise.all([
    customerTickets(workspaceId, profile.id),
    lastSeenOnChat(workspaceId, profile.id),
  ]);
  return {
    customer: {
      id: profile.id,
      name: profile.name,
      emails: profile.emails,
      phones: profile.phones,
      location: firstLocation(addressLists),
      timeZone,
      localTime: timeZone ? localTimeIn(timeZone, now) : null,
      /** The storefront chat's last sight of them (decision 026); null: never on the chat. */
      lastSeenOnChat: seenOnChat
        ? { ago: formatTimeAgo(seenOnChat, now), at: formatShopTime(seenOnChat.toISOString(), zone) }
        : null,
    },
    note: {
      text: profile.note,
      version: profile.noteVersion,
      notice: noteSyncNotice({
        syncing: profile.noteSync.syncing,
        reason: profile.noteSync.reason,
        linkedShops: profile.shopifyCustomers.map((customer) => customer.shop.name ?? customer.shop.domain),
      }),
    },
    shops,
    tickets,
  };
}

export type CustomerSidebar = NonNullable<Awaited<ReturnType<typeof customerSidebar>>>;

/**
 * Customers to choose from when setting a ticket's customer or picking a profile to merge: the
 * workspace's customer search, shaped for a picker (name, primary email and phone, linked stores).
 */
export async function searchCustomersToPick(workspaceId: string, query: string, options: { excludeId?: string } = {}) {
  const term = query.trim();
  if (!term) return [];
  const { customers } = await searchHelpdeskCustomers(workspaceId, { q: term, take: 11 });
  return customers
    .filter((customer) => customer.id !== options.excludeId)
    .slice(0, 10)
    .map((customer) => ({
      id: customer.id,
      name: customer.name,
      email: customer.email,
      phone: customer.phone,
      label: customer.name ?? customer.email ?? customer.phone ?? "Unnamed customer",
      orderCount: customer.orderCount,
    }));
}
