// DEV/DEMO ONLY: a few hundred realistic tickets for the demo's workspaces, so the inbox looks like a
// working store's on first open. Written straight to the database (in the shape app/models/ticket
// writes), tied to the workspace's imported customers and their orders, across channels, states,
// priorities, tags and agents. A workspace that already has tickets is left alone (restarts keep
// what the demo user did).
import { randomUUID } from "node:crypto";
import pg from "pg";
import { Prng } from "./store-emulator/prng.ts";

/** The staff a store's agents are (store emulator staff.ts), by email. */
export interface DemoAgent {
  name: string;
  email: string;
}

interface Topic {
  subject: (order: string | null) => string;
  opening: (order: string | null) => string;
  reply: string;
  followUp?: string;
  tags: string[];
  needsOrder: boolean;
}

const TOPICS: Topic[] = [
  {
    subject: (order) => `Where is my order ${order}?`,
    opening: (order) =>
      `Hi, I ordered ${order} over a week ago and the tracking hasn't moved since Monday. Can you check?`,
    reply: "Thanks for your patience! The carrier shows a delay at their hub; it should move again within two days.",
    followUp: "Still nothing on the tracking page, any news?",
    tags: ["shipping", "where-is-my-order"],
    needsOrder: true,
  },
  {
    subject: (order) => `Return request for ${order}`,
    opening: (order) => `The jacket from ${order} is too small. I'd like to return it for a refund, please.`,
    reply: "No problem! I've sent you a prepaid return label by email. The refund follows once it's back with us.",
    tags: ["return"],
    needsOrder: true,
  },
  {
    subject: (order) => `Please cancel ${order}`,
    opening: (order) => `I ordered the wrong color by mistake. Could you cancel ${order} before it ships?`,
    reply: "Done: the order is cancelled and the refund is on its way (3 to 5 business days).",
    tags: ["cancellation"],
    needsOrder: true,
  },
  {
    subject: (order) => `Damaged item in ${order}`,
    opening: () => "The mug arrived cracked. I've attached a photo of the box and the mug.",
    reply: "I'm so sorry about that! A replacement ships today, no need to send the broken one back.",
    followUp: "Thank you, that was quick!",
    tags: ["damaged", "shipping"],
    needsOrder: true,
  },
  {
    subject: () => "Discount code not working",
    opening: () => "The code WELCOME10 says it's not valid at checkout. Is it still active?",
    reply: "It only applies to full-price items; I've sent you a code that works on sale items too.",
    tags: ["discount"],
    needsOrder: false,
  },
  {
    subject: (order) => `Change the shipping address for ${order}`,
    opening: () => "I moved last week. Can you send it to 14 Harbour Street instead?",
    reply: "Updated! The parcel goes to the new address.",
    tags: ["address-change"],
    needsOrder: true,
  },
  {
    subject: () => "Do you ship to Canada?",
    opening: () => "Hi! Do you ship to Canada, and how long does it take?",
    reply: "We do: 5 to 8 business days, with tracking, and duties are included.",
    tags: ["pre-sale"],
    needsOrder: false,
  },
  {
    subject: () => "Is the rain jacket waterproof?",
    opening: () => "Is the Coastline rain jacket fully waterproof or just water resistant?",
    reply: "Fully waterproof (20,000 mm) with taped seams. Great for hiking!",
    tags: ["product-question", "pre-sale"],
    needsOrder: false,
  },
  {
    subject: (order) => `Wrong size received in ${order}`,
    opening: () => "I ordered a size M but the label says L. Can I exchange it?",
    reply: "Sorry for the mix-up! An M is on its way; keep the L's return label for when it arrives.",
    tags: ["exchange", "wrong-item"],
    needsOrder: true,
  },
  {
    subject: (order) => `Invoice for ${order}`,
    opening: () => "Could you send me an invoice with my company's VAT number on it?",
    reply: "Here you go: the invoice is attached to this reply.",
    tags: ["billing"],
    needsOrder: true,
  },
];

const CHANNELS = [
  ["email", 0.35],
  ["chat", 0.25],
  ["portal_request", 0.2],
  ["contact_form", 0.1],
  ["sms", 0.05],
  ["api", 0.05],
] as const;

function weighted<T>(random: Prng, choices: readonly (readonly [T, number])[]): T {
  let roll = random.next();
  for (const [value, weight] of choices) {
    roll -= weight;
    if (roll < 0) return value;
  }
  return choices.at(-1)![0];
}

/**
 * Waits (up to `timeoutMs`) for every store's import to finish, so tickets can name its customers
 * and orders, then seeds every workspace that has no ticket yet (with an import still running,
 * from what has arrived). Returns how many tickets it created.
 */
export async function seedDemoTicketsOnceImported(
  databaseUrl: string,
  agentsByShop: Map<string, DemoAgent[]>,
  timeoutMs = 60_000,
  perWorkspace = 120,
): Promise<number> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const { rows } = await client.query<{ running: number }>(
        `SELECT count(*)::int AS running FROM "SyncState" WHERE "backfillStatus" NOT IN ('completed', 'failed')`,
      );
      if (rows[0]!.running === 0) break;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    // Every workspace that has no ticket yet.
    const { rows: workspaces } = await client.query<{ id: string }>(
      `SELECT w.id FROM "Workspace" w WHERE NOT EXISTS (SELECT 1 FROM "Ticket" t WHERE t."workspaceId" = w.id)
        AND EXISTS (SELECT 1 FROM "Shop" s WHERE s."workspaceId" = w.id) ORDER BY w."createdAt"`,
    );
    let created = 0;
    for (const { id: workspaceId } of workspaces) {
      created += await seedWorkspace(client, workspaceId, agentsByShop, perWorkspace);
    }
    return created;
  } finally {
    await client.end();
  }
}

async function seedWorkspace(
  client: pg.Client,
  workspaceId: string,
  agentsByShop: Map<string, DemoAgent[]>,
  count: number,
): Promise<number> {
  const random = new Prng(`demo-tickets:${workspaceId}`);
  const { rows: shops } = await client.query<{ id: string; domain: string }>(
    `SELECT id, domain FROM "Shop" WHERE "workspaceId" = $1 ORDER BY domain`,
    [workspaceId],
  );
  const { rows: customers } = await client.query<{ id: string; name: string | null; email: string | null }>(
    `SELECT id, name, emails[1] AS email FROM "HelpdeskCustomer" WHERE "workspaceId" = $1 ORDER BY "createdAt", id LIMIT 300`,
    [workspaceId],
  );
  if (customers.length === 0) return 0;
  const { rows: orders } = await client.query<{ id: string; name: string; customerId: string; shopId: string }>(
    `SELECT o.id, o.name, c."helpdeskCustomerId" AS "customerId", o."shopId"
       FROM "ShopifyOrder" o
       JOIN "ShopifyCustomer" c ON c."shopId" = o."shopId" AND c."shopifyId" = o."shopifyCustomerId"
      WHERE o."shopId" = ANY($1) AND c."helpdeskCustomerId" IS NOT NULL AND o."deletedAt" IS NULL`,
    [shops.map((shop) => shop.id)],
  );
  const ordersByCustomer = new Map<string, typeof orders>();
  for (const order of orders)
    ordersByCustomer.set(order.customerId, [...(ordersByCustomer.get(order.customerId) ?? []), order]);

  await client.query("BEGIN");
  try {
    // The stores' staff as agents (the same person in two stores of the workspace is one agent);
    // a staff member's first visit finds their agent by email.
    const agentIds: string[] = [];
    const staff = new Map<string, DemoAgent>();
    for (const shop of shops) for (const agent of agentsByShop.get(shop.domain) ?? []) staff.set(agent.email, agent);
    for (const agent of staff.values()) {
      const { rows } = await client.query<{ id: string }>(
        `INSERT INTO "Agent" (id, "workspaceId", name, email) VALUES ($1, $2, $3, $4)
         ON CONFLICT ("workspaceId", email) DO UPDATE SET name = EXCLUDED.name RETURNING id`,
        [randomUUID(), workspaceId, agent.name, agent.email.toLowerCase()],
      );
      agentIds.push(rows[0]!.id);
    }

    const now = Date.now();
    for (let index = 0; index < count; index++) {
      const customer = random.pick(customers);
      const customerOrders = ordersByCustomer.get(customer.id) ?? [];
      const candidates = customerOrders.length > 0 ? TOPICS : TOPICS.filter((topic) => !topic.needsOrder);
      const topic = random.pick(candidates);
      const order = topic.needsOrder ? random.pick(customerOrders) : null;
      const channel = weighted(random, CHANNELS);
      const status = weighted(random, [
        ["open", 0.5],
        ["snoozed", 0.12],
        ["closed", 0.38],
      ] as const);
      const priority = weighted(random, [
        ["normal", 0.6],
        ["low", 0.15],
        ["high", 0.18],
        ["urgent", 0.07],
      ] as const);
      const assigneeId = agentIds.length > 0 && random.chance(0.65) ? random.pick(agentIds) : null;
      const createdAt = now - random.int(10 * 60, 30 * 24 * 3600) * 1000;
      const thread: { kind: string; body: string; at: number; byAgent: boolean }[] = [
        { kind: "customer_message", body: topic.opening(order?.name ?? null), at: createdAt, byAgent: false },
      ];
      const answered = status === "closed" || random.chance(0.55);
      if (answered) {
        if (random.chance(0.3)) {
          thread.push({
            kind: "internal_note",
            body: "Checked the order in Shopify; details look right.",
            at: createdAt + 20 * 60_000,
            byAgent: true,
          });
        }
        thread.push({
          kind: "agent_reply",
          body: topic.reply,
          at: createdAt + random.int(30, 600) * 60_000,
          byAgent: true,
        });
        if (topic.followUp && random.chance(0.5)) {
          thread.push({
            kind: "customer_message",
            body: topic.followUp,
            at: createdAt + random.int(700, 2000) * 60_000,
            byAgent: false,
          });
        }
      }
      // Nothing in the future: a thread that would still be going on ends a minute ago.
      for (const entry of thread) entry.at = Math.min(entry.at, now - 60_000);
      const messages = thread.filter((entry) => entry.kind !== "internal_note");
      const lastMessageAt = Math.max(...messages.map((entry) => entry.at));
      const lastCustomerAt = Math.max(...thread.filter((entry) => !entry.byAgent).map((entry) => entry.at));
      const ticketId = randomUUID();
      const { rows } = await client.query<{ lastTicketNumber: number }>(
        `UPDATE "Workspace" SET "lastTicketNumber" = "lastTicketNumber" + 1 WHERE id = $1 RETURNING "lastTicketNumber"`,
        [workspaceId],
      );
      const tags = [...new Set(topic.tags)].sort();
      await client.query(
        `INSERT INTO "Ticket" (id, "workspaceId", number, channel, subject, status, "snoozedUntil", priority, tags,
           "assigneeId", "customerId", "shopId", "messageCount", "createdAt", "updatedAt", "lastMessageAt",
           "lastCustomerMessageAt", "closedAt")
         VALUES ($1, $2, $3, $4::"TicketChannel", $5, $6::"TicketStatus", $7, $8::"TicketPriority", $9, $10, $11, $12,
           $13, $14, $15, $16, $17, $18)`,
        [
          ticketId,
          workspaceId,
          rows[0]!.lastTicketNumber,
          channel,
          topic.subject(order?.name ?? null),
          status,
          status === "snoozed" ? new Date(now + random.int(2, 72) * 3600_000) : null,
          priority,
          tags,
          assigneeId,
          customer.id,
          order?.shopId ?? shops[0]!.id,
          messages.length,
          new Date(createdAt),
          new Date(lastMessageAt),
          new Date(lastMessageAt),
          new Date(lastCustomerAt),
          status === "closed" ? new Date(lastMessageAt + 3600_000) : null,
        ],
      );
      if (order) {
        await client.query(`INSERT INTO "TicketOrder" ("ticketId", "orderId", "linkedAt") VALUES ($1, $2, $3)`, [
          ticketId,
          order.id,
          new Date(createdAt),
        ]);
      }
      const entries: unknown[][] = [
        [
          randomUUID(),
          "system_event",
          null,
          null,
          "",
          JSON.stringify({ type: "created", channel }),
          new Date(createdAt),
          null,
        ],
        ...thread.map((entry) => [
          randomUUID(),
          entry.kind,
          entry.byAgent ? (assigneeId ?? agentIds[0] ?? null) : null,
          entry.byAgent ? null : customer.id,
          entry.body,
          null,
          new Date(entry.at),
          entry.kind === "agent_reply" ? "sent" : null,
        ]),
      ];
      for (const [id, kind, agentId, customerId, body, event, at, delivery] of entries) {
        await client.query(
          `INSERT INTO "TicketEntry" (id, "ticketId", "workspaceId", kind, channel, "authorAgentId", "authorCustomerId",
             body, event, "fromAddress", "toAddresses", "references", "deliveryStatus", "createdAt", "messageId")
           VALUES ($1, $2, $3, $4::"TicketEntryKind", $5::"TicketChannel", $6, $7, $8, $9::jsonb, $10, '{}', '{}',
             $11::"TicketDeliveryStatus", $12, $13)`,
          [
            id,
            ticketId,
            workspaceId,
            kind,
            channel,
            agentId,
            customerId,
            body,
            event,
            customerId ? customer.email : null,
            delivery,
            at,
            // Mail from a shopper carries its Message-ID, which a reply's In-Reply-To names.
            channel === "email" && kind === "customer_message" && customer.email
              ? `<${randomUUID()}@${customer.email.split("@")[1] ?? "mail.example"}>`
              : null,
          ],
        );
      }
    }
    await client.query("COMMIT");
  } catch (error) {
    await client.query("ROLLBACK");
    throw error;
  }
  return count;
}
