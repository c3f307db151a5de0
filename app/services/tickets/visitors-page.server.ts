import { formatShopTime } from "~/components/formatting";
import { formatTimeAgo } from "~/components/relative-time";
import { STATUS_LABELS } from "~/domain/ticket-labels";
import { ON_STORE_WINDOW_MS, visitorsOnStore } from "~/models/chat-presence.server";

// "On the store now" (decision 026): the workspace's chat visitors seen within the last 3 minutes,
// shaped for the page: words and links, never raw ids the merchant cannot use.

/** A page address from a shopper's browser, as a link only when it is a web page (never `javascript:`). */
function webPageUrl(value: string | null): string | null {
  if (!value) return null;
  try {
    const url = new URL(value);
    return url.protocol === "https:" || url.protocol === "http:" ? url.toString() : null;
  } catch {
    return null;
  }
}

/** A readable page for a row without a title: the path of its address. */
function pagePath(url: string | null): string | null {
  if (!url) return null;
  const { pathname, search } = new URL(url);
  return `${pathname}${search}`;
}

export async function visitorsPageData(workspace: { workspaceId: string; timeZone: string | null }, now = new Date()) {
  const { visitors, total } = await visitorsOnStore(workspace.workspaceId, { now });
  return {
    windowMinutes: ON_STORE_WINDOW_MS / 60_000,
    total,
    visitors: visitors.map((visitor) => {
      const pageUrl = webPageUrl(visitor.pageUrl);
      return {
        id: visitor.id,
        name: visitor.name,
        email: visitor.email && visitor.email !== visitor.name ? visitor.email : null,
        customerUrl: visitor.customerId ? `/app/customers/${visitor.customerId}` : null,
        store: visitor.store,
        page: visitor.pageTitle || pagePath(pageUrl) || "Unknown page",
        pageUrl,
        lastSeen: formatTimeAgo(visitor.lastSeenAt, now),
        lastSeenAt: formatShopTime(visitor.lastSeenAt.toISOString(), workspace.timeZone),
        chat: visitor.chat
          ? {
              url: `/app/tickets/${visitor.chat.ticketId}`,
              label: `Chat #${visitor.chat.number}`,
              status: STATUS_LABELS[visitor.chat.status],
              open: visitor.chat.status !== "closed",
            }
          : null,
      };
    }),
  };
}
