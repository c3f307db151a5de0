// DEV/TEST ONLY: a stand-in for the app's portal API (POST /proxy/portal/<name>), answering the
// contract the storefront UI is written against (extensions/shopdesk-portal/assets/portal-app.js),
// with state: shoppers, orders, codes, sessions and requests. The browser tests and screenshots of
// the portal UI run against it so they do not depend on the real routes' progress; the real API is
// exercised end to end by tests/e2e. It also serves GET /proxy/widget like the app, for the
// launcher's older tests.
import { randomBytes } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";

type Locale = "en" | "fr";
type Labels = Record<Locale, string>;

const STATUS_LABELS: Record<string, Labels> = {
  unfulfilled: { en: "Unfulfilled", fr: "Non traitée" },
  in_transit: { en: "In transit", fr: "En transit" },
  delivered: { en: "Delivered", fr: "Livrée" },
  cancelled: { en: "Cancelled", fr: "Annulée" },
};
const REQUEST_STATUS: Labels = { en: "Received", fr: "Reçue" };
const ISSUES: Record<string, Record<string, Labels>> = {
  delivered: {
    damaged_item: { en: "Damaged item", fr: "Article endommagé" },
    wrong_item: { en: "Wrong item", fr: "Mauvais article" },
    missing_item: { en: "Missing item", fr: "Article manquant" },
  },
  in_transit: {
    change_address: { en: "Change delivery address", fr: "Changer l’adresse de livraison" },
    delayed: { en: "My order is late", fr: "Ma commande est en retard" },
  },
  unfulfilled: {
    change_items: { en: "Change items", fr: "Modifier les articles" },
    change_address: { en: "Change delivery address", fr: "Changer l’adresse de livraison" },
  },
};

export interface StandinLineItem {
  id: string;
  title: string;
  variantTitle?: string;
  quantity: number;
  /** Shipped and not refunded (the real API's field); the stand-in's default is the quantity. */
  returnableQuantity?: number;
  price: string;
}

export interface StandinOrder {
  id: string;
  name: string;
  email: string;
  createdAt: string;
  status: keyof typeof STATUS_LABELS;
  total: string;
  /** The summary's charges, formatted as the API sends them (default: none charged). */
  charges?: { subtotal: string; shipping: string; tax: string; taxIncluded: boolean };
  lineItems: StandinLineItem[];
  actions: {
    track: boolean;
    return: { kind: "request" } | { kind: "loop"; url: string } | null;
    cancel: boolean;
    reportIssue: boolean;
  };
  tracking?: {
    carrier: string;
    number: string;
    url: string;
    timeline: { at: string; label: Labels; detail?: string }[];
    pending?: boolean;
  };
}

export interface StandinShopper {
  email: string;
  phone?: string;
  firstName?: string;
  /** Shopify customer id: a shopper logged in to the store (logged_in_customer_id) skips the code. */
  customerId?: string;
}

export interface PortalCall {
  name: string;
  body: Record<string, unknown>;
  loggedInCustomerId: string;
}

export interface StandinQuickAnswerNode {
  path: string;
  locale: string;
  question: string;
  answer: string;
  links: { label: string; url: string }[];
  followUps: StandinQuickAnswerNode[];
}
export interface StandinQuickAnswer extends StandinQuickAnswerNode {
  id: string;
}

export interface PortalStandin {
  url: string;
  calls: PortalCall[];
  /** Codes "sent", newest last, as the test SMTP/SMS catchers would show them. */
  sentCodes: { channel: string; destination: string; code: string }[];
  /** Requests filed through the portal. */
  requests: { orderId: string; kind: string; body: Record<string, unknown> }[];
  channels: { emailCode: boolean; smsCode: boolean; orderNumber: boolean };
  orders: StandinOrder[];
  /** POST availability's answer (business hours, decision 026); online by default. */
  availability: { online: boolean; nextOpenAt: string | null; timezone: string; message: string };
  /** POST quick-answers' flows, as the real route sends them (already in the shopper's language). */
  quickAnswers: StandinQuickAnswer[];
  /** Quick answers the widget said were opened ({ used: { quickAnswerId, path } }). */
  quickAnswerUses: { quickAnswerId: string; path: string }[];
  /** Offline contact forms received. */
  contacts: Record<string, unknown>[];
  /** Every open session ends: the next call with its token answers 401 {signIn: true}. */
  expireSessions(): void;
  /** The next portal call answers this status once, with {error} when given (else an empty body). */
  failNext(status: number, error?: string): void;
  close(): Promise<void>;
}

const day = (n: number) => new Date(Date.UTC(2026, 2, 1 + n, 14, 30)).toISOString();
const label = (labels: Labels, locale: Locale) => labels[locale] ?? labels.en;
const dateLabel = (iso: string, locale: Locale) =>
  new Intl.DateTimeFormat(locale === "fr" ? "fr-FR" : "en-US", { dateStyle: "medium", timeZone: "UTC" }).format(
    new Date(iso),
  );

export function demoOrders(email = "ada@example.com"): StandinOrder[] {
  return [
    {
      id: "gid://shopify/Order/1004",
      name: "#1004",
      email,
      createdAt: day(20),
      status: "in_transit",
      total: "$53.00",
      lineItems: [
        { id: "li-1004-1", title: "Everyday Tee", variantTitle: "M / Sage", quantity: 1, price: "$29.00" },
        { id: "li-1004-2", title: "Harbor Cap", quantity: 1, price: "$24.00" },
      ],
      actions: { track: true, return: null, cancel: false, reportIssue: true },
      tracking: {
        carrier: "UPS",
        number: "1Z999AA10123456784",
        url: "https://www.ups.com/track?tracknum=1Z999AA10123456784",
        timeline: [
          { at: day(20), label: { en: "Order placed", fr: "Commande passée" } },
          { at: day(21), label: { en: "Shipped", fr: "Expédiée" } },
          { at: day(22), label: { en: "In transit", fr: "En transit" }, detail: "Louisville, KY" },
        ],
      },
    },
    {
      id: "gid://shopify/Order/1003",
      name: "#1003",
      email,
      createdAt: day(12),
      status: "delivered",
      total: "$72.90",
      charges: { subtotal: "$68.00", shipping: "$4.90", tax: "$5.44", taxIncluded: true },
      lineItems: [
        // Unit prices, as the API sends them: 2 × $18.00.
        { id: "li-1003-1", title: "Morning Mug", variantTitle: "Terracotta", quantity: 2, price: "$18.00" },
        { id: "li-1003-2", title: "Market Tote", quantity: 1, returnableQuantity: 0, price: "$32.00" },
      ],
      actions: { track: true, return: { kind: "request" }, cancel: false, reportIssue: true },
      tracking: {
        carrier: "USPS",
        number: "9400111899223197428490",
        url: "https://tools.usps.com/go/TrackConfirmAction?tLabels=9400111899223197428490",
        timeline: [
          { at: day(12), label: { en: "Order placed", fr: "Commande passée" } },
          { at: day(13), label: { en: "Shipped", fr: "Expédiée" } },
          { at: day(15), label: { en: "Delivered", fr: "Livrée" } },
        ],
      },
    },
    {
      id: "gid://shopify/Order/1002",
      name: "#1002",
      email,
      createdAt: day(5),
      status: "unfulfilled",
      total: "$18.00",
      lineItems: [{ id: "li-1002-1", title: "Morning Mug", variantTitle: "Sage", quantity: 1, price: "$18.00" }],
      actions: { track: false, return: null, cancel: true, reportIssue: true },
    },
    {
      id: "gid://shopify/Order/1001",
      name: "#1001",
      email,
      createdAt: day(0),
      status: "delivered",
      total: "$29.00",
      lineItems: [{ id: "li-1001-1", title: "Everyday Tee", variantTitle: "S / Ink", quantity: 1, price: "$29.00" }],
      actions: {
        track: true,
        return: { kind: "loop", url: "https://returns.example.com/demo-goods" },
        cancel: false,
        reportIssue: false,
      },
      tracking: {
        carrier: "USPS",
        number: "9400111899223197428111",
        url: "https://tools.usps.com/go/TrackConfirmAction?tLabels=9400111899223197428111",
        timeline: [
          { at: day(0), label: { en: "Order placed", fr: "Commande passée" } },
          { at: day(3), label: { en: "Delivered", fr: "Livrée" } },
        ],
      },
    },
  ];
}

export async function startPortalStandin(
  options: { shoppers?: StandinShopper[]; orders?: StandinOrder[]; pageSize?: number; shopName?: string } = {},
): Promise<PortalStandin> {
  const shoppers = options.shoppers ?? [
    { email: "ada@example.com", phone: "+15550100199", firstName: "Ada", customerId: "7" },
  ];
  const pageSize = options.pageSize ?? 3;
  const sessions = new Map<string, StandinShopper>();
  const wrongTries = new Map<string, number>();
  let failure: { status: number; error?: string } | null = null;

  const standin: PortalStandin = {
    url: "",
    calls: [],
    sentCodes: [],
    requests: [],
    channels: { emailCode: true, smsCode: true, orderNumber: true },
    orders: options.orders ?? demoOrders(),
    availability: { online: true, nextOpenAt: null, timezone: "UTC", message: "" },
    quickAnswers: [],
    quickAnswerUses: [],
    contacts: [],
    expireSessions: () => sessions.clear(),
    failNext: (status, error) => {
      failure = { status, error };
    },
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };

  function openSession(shopper: StandinShopper) {
    const token = `v1.${randomBytes(12).toString("base64url")}`;
    sessions.set(token, shopper);
    return { token, shopper: { email: shopper.email, phone: shopper.phone, firstName: shopper.firstName } };
  }

  function orderSummary(order: StandinOrder, locale: Locale) {
    return {
      id: order.id,
      name: order.name,
      createdAt: order.createdAt,
      createdLabel: dateLabel(order.createdAt, locale),
      total: order.total,
      status: order.status,
      statusLabel: label(STATUS_LABELS[order.status]!, locale),
      itemCount: order.lineItems.reduce((sum, item) => sum + item.quantity, 0),
      firstItemTitle: order.lineItems[0]?.title ?? "",
      actions: order.actions,
    };
  }

  function orderDetail(order: StandinOrder, locale: Locale) {
    const issues = ISSUES[order.status] ?? {};
    return {
      ...orderSummary(order, locale),
      summary: {
        lineItems: order.lineItems,
        subtotal: order.charges?.subtotal ?? order.total,
        shipping: order.charges?.shipping ?? "$0.00",
        tax: order.charges?.tax ?? "$0.00",
        taxIncluded: order.charges?.taxIncluded ?? false,
        total: order.total,
        shippingAddress: "Ada Lovelace\n12 Harbour Street\nPortland, ME 04101\nUnited States",
        billingAddress: "Ada Lovelace\n12 Harbour Street\nPortland, ME 04101\nUnited States",
        paymentMethod: "Visa •••• 4242",
        financialStatusLabel: locale === "fr" ? "Payée" : "Paid",
      },
      tracking: order.tracking
        ? {
            ...order.tracking,
            timeline: order.tracking.timeline.map((event) => ({ ...event, label: label(event.label, locale) })),
          }
        : null,
      issueOptions: Object.entries(issues).map(([key, labels]) => ({ key, label: label(labels, locale) })),
      requests: standin.requests
        .filter((request) => request.orderId === order.id)
        .map((request, index) => ({
          id: `req-${index + 1}`,
          kind: request.kind,
          status: "received",
          statusLabel: label(REQUEST_STATUS, locale),
          createdLabel: dateLabel(day(25), locale),
        })),
    };
  }

  function answer(name: string, body: Record<string, unknown>, loggedInCustomerId: string): [number, unknown] {
    const locale: Locale = body.locale === "fr" ? "fr" : "en";
    const token = typeof body.token === "string" ? body.token : "";
    const session = token ? sessions.get(token) : undefined;
    const signIn = (): [number, unknown] => [
      401,
      { error: locale === "fr" ? "Veuillez vous reconnecter." : "Please sign in again.", signIn: true },
    ];
    switch (name) {
      case "session": {
        if (body.signOut) {
          sessions.delete(token);
          return [200, { signedIn: false, channels: standin.channels }];
        }
        if (token && !session) return signIn();
        if (session) return [200, { signedIn: true, shopper: { email: session.email, firstName: session.firstName } }];
        const customer = shoppers.find((s) => s.customerId && s.customerId === loggedInCustomerId);
        if (customer) return [200, { signedIn: true, ...openSession(customer) }];
        return [200, { signedIn: false, channels: standin.channels }];
      }
      case "code": {
        const destination = String(body.destination ?? "");
        const known = shoppers.some((s) => s.email === destination || s.phone === destination);
        if (known) {
          const code = String(100000 + standin.sentCodes.length * 7919).slice(0, 6);
          standin.sentCodes.push({ channel: String(body.channel), destination, code });
        }
        const message =
          locale === "fr"
            ? "Si ce contact correspond à un compte, un code vient d’être envoyé."
            : "If this matches an account, we’ve sent a code.";
        return [200, { ok: true, message }];
      }
      case "verify": {
        const destination = String(body.destination ?? "");
        const tries = wrongTries.get(destination) ?? 0;
        if (tries >= 5) return [429, { error: "Too many tries. Please wait a minute and try again." }];
        const sent = standin.sentCodes.filter((c) => c.destination === destination).at(-1);
        const shopper = shoppers.find((s) => s.email === destination || s.phone === destination);
        if (!sent || !shopper || sent.code !== body.code) {
          wrongTries.set(destination, tries + 1);
          return [401, { error: locale === "fr" ? "Ce code n’est pas valide." : "That code isn’t valid." }];
        }
        return [200, openSession(shopper)];
      }
      case "order-sign-in": {
        const number = String(body.orderNumber ?? "").replace(/^#/, "");
        const order = standin.orders.find((o) => o.name === `#${number}` && o.email === body.email);
        const shopper = order && shoppers.find((s) => s.email === order.email);
        if (!shopper) {
          return [401, { error: "We couldn’t find an order with that email and number." }];
        }
        return [200, openSession(shopper)];
      }
      case "orders": {
        if (!session) return signIn();
        const mine = standin.orders
          .filter((o) => o.email === session.email)
          .sort((a, b) => b.createdAt.localeCompare(a.createdAt));
        const start = typeof body.cursor === "string" ? Number(body.cursor) : 0;
        const page = mine.slice(start, start + pageSize);
        const next = start + pageSize < mine.length ? String(start + pageSize) : null;
        return [200, { orders: page.map((o) => orderSummary(o, locale)), nextCursor: next }];
      }
      case "order": {
        if (!session) return signIn();
        const order = standin.orders.find((o) => o.id === body.orderId && o.email === session.email);
        if (!order) return [404, { error: "Order not found." }];
        return [200, { order: orderDetail(order, locale) }];
      }
      case "request": {
        if (!session) return signIn();
        const order = standin.orders.find((o) => o.id === body.orderId && o.email === session.email);
        if (!order) return [404, { error: "Order not found." }];
        const kind = String(body.kind);
        const allowed =
          (kind === "return" && order.actions.return?.kind === "request") ||
          (kind === "cancel" && order.actions.cancel) ||
          (kind === "issue" && order.actions.reportIssue);
        if (!allowed) return [409, { error: "This order can’t take that request." }];
        // The real API takes Shopify's ReturnReason values only (app/domain/portal-requests.ts).
        if (kind === "return" && !/^[A-Z_]+$/.test(String(body.reason))) {
          return [400, { error: "Choose why you are returning the items." }];
        }
        standin.requests.push({ orderId: order.id, kind, body });
        const message =
          locale === "fr"
            ? `Nous avons bien reçu votre demande pour la commande ${order.name}.`
            : `We’ve received your request for order ${order.name}. We’ll email you when it’s reviewed.`;
        return [
          200,
          {
            request: {
              id: `req-${standin.requests.length}`,
              status: "received",
              statusLabel: label(REQUEST_STATUS, locale),
            },
            message,
          },
        ];
      }
      case "availability":
        return [200, standin.availability];
      case "quick-answers": {
        const used = body.used as { quickAnswerId?: unknown; path?: unknown } | undefined;
        if (used) {
          standin.quickAnswerUses.push({ quickAnswerId: String(used.quickAnswerId), path: String(used.path) });
          return [200, { recorded: true }];
        }
        return [200, { quickAnswers: standin.quickAnswers }];
      }
      case "contact": {
        if (typeof body.email !== "string" || !body.email.includes("@")) return [400, { error: "Enter your email." }];
        if (typeof body.message !== "string" || !body.message.trim()) return [400, { error: "Write your message." }];
        standin.contacts.push(body);
        return [201, { message: "Thanks for your message. Our team will answer you tomorrow at 9:00, by email." }];
      }
      default:
        return [404, { error: "Not found" }];
    }
  }

  const server = http.createServer(async (req, res) => {
    const url = new URL(req.url ?? "/", "http://standin.local");
    const loggedInCustomerId = url.searchParams.get("logged_in_customer_id") ?? "";
    const reply = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(status, { "content-type": "application/json; charset=utf-8", ...headers });
      res.end(JSON.stringify(body));
    };
    if (req.method === "GET" && url.pathname === "/proxy/widget") {
      const shopper = shoppers.find((s) => s.customerId && s.customerId === loggedInCustomerId);
      return reply(200, {
        shop: { name: options.shopName ?? "Demo Goods" },
        customer: { loggedIn: loggedInCustomerId !== "", firstName: shopper?.firstName ?? null },
      });
    }
    const match = /^\/proxy\/portal\/([a-z-]+)$/.exec(url.pathname);
    if (!match || req.method !== "POST") return reply(404, { error: "Not found" });
    // The App Proxy signs every call; the real app refuses one without (tests/integration cover it).
    if (!url.searchParams.get("signature")) return reply(401, { error: "Unsigned" });
    let body: Record<string, unknown> = {};
    try {
      let raw = "";
      for await (const chunk of req) raw += String(chunk);
      body = JSON.parse(raw || "{}") as Record<string, unknown>;
    } catch {
      return reply(400, { error: "Bad JSON" });
    }
    const name = match[1]!;
    standin.calls.push({ name, body, loggedInCustomerId });
    if (failure) {
      const { status, error } = failure;
      failure = null;
      return reply(status, error === undefined ? {} : { error }, status === 429 ? { "retry-after": "30" } : {});
    }
    const [status, payload] = answer(name, body, loggedInCustomerId);
    reply(status, payload, status === 429 ? { "retry-after": "60" } : {});
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  standin.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return standin;
}
