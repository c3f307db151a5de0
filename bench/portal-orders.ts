// The storefront portal's orders at size: a signed-in shopper's order list and order page, read by
// the app's own functions (what /proxy/portal/orders and /proxy/portal/order call:
// listPortalOrders, getPortalOrder) in a shop with 1M orders, each beside the same statements sent
// bare through `pg` in the same run.
//
// Scale: `--orders N` (or BENCH_PORTAL_ORDERS=N) orders in the measured shop: 1,000,000 on a
// BENCH_DATABASE_URL server, 100,000 on the embedded default (the server `npm run demo` starts),
// placed over three years by a customer per 4 orders, one order in 10 a guest's (an email, no
// customer account); plus a tenth of that in another shop, where the measured shoppers (same
// customer ids, same addresses) have orders too. Every order has a full snapshot (line items,
// parcels, carrier events, addresses), one of three shapes (delivered, in transit, unfulfilled).
// The measured shoppers, their orders spread over the same three years:
//   customer-1, customer-40   a customer account with 1 / 40 orders (the session's shopifyCustomerId)
//   email-1, email-40         a guest with 1 / 40 orders (the session's email, no customer account)
//   wholesale, wholesale-later  a customer with 5,000 orders: the first page, and page 100 (cursor)
// Seeded with INSERT … SELECT generate_series, the secondary indexes dropped during the load and
// rebuilt after, then VACUUM ANALYZE.
//   portal-orders-seed-seconds         migrated database → seeded, indexed, vacuumed
//   portal-orders-list-<shopper>-…     listPortalOrders, first page (20), with the portal settings
//   portal-orders-order-…              getPortalOrder of one of customer-40's orders (the order,
//                                      the settings, the session's track count, its requests)
//   …-p50|p95                          through the app (Prisma); …-bare-p50|p95 the very statements
//                                      the app sent (captured from one run) through one `pg` pool,
//                                      as the app sent them (what went at once, at once);
//                                      …-ratio = app p95 ÷ bare p95: what Prisma and the app add
//   portal-orders-list-p95             the largest list p95 of customer-1/40 and email-1/40: the
//                                      issue's "portal order list p95 for a shopper" (target ≤ 50 ms)
// Each figure: warm-up, then app and bare alternately until --iterations N (200) or --seconds S (10).
// Authentication (proxy signature, session token) is not part of the figures.
// `--keep-database` leaves a BENCH_DATABASE_URL database in place (its URL on stderr) for EXPLAIN;
// `--database URL` measures such a database again without seeding it.
// Seeding 1M orders takes ~3 minutes on 2 cores. Figures: docs/decisions/023-portal.md.
// Run alone: `npx tsx bench/portal-orders.ts [--orders N]`, or `npm run bench -- portal-orders`.
import os from "node:os";
import pg from "pg";
import {
  buildFulfillment,
  buildFulfillmentEvent,
  buildLineItem,
  buildOrder,
  money,
} from "../app/domain/order-snapshot.ts";
import { shopperOrderStatus } from "../app/domain/order-status.ts";
import type { ShopifyOrderSnapshot } from "../app/domain/shopify/snapshots.ts";
import { DEV_APP_CREDENTIALS, migrateDatabase } from "../dev/stack.ts";
import {
  BENCH_SHOP,
  benchDatabase,
  captureStatements,
  numberFlag,
  percentile,
  replayStatements,
  report,
  reportAppAndBare,
  sampleAppAndBare,
  seconds,
} from "./support.ts";

const external = Boolean(process.env.BENCH_DATABASE_URL);
const ORDERS = numberFlag("orders", Number(process.env.BENCH_PORTAL_ORDERS ?? (external ? 1_000_000 : 100_000)));
const ORDERS_PER_CUSTOMER = 4;
const WHOLESALE_ORDERS = 5_000;
const LIMITS = { iterations: numberFlag("iterations", 200), budgetSeconds: numberFlag("seconds", 10) };
const KEEP = process.argv.includes("--keep-database");
/** `--database URL`: measure a database an earlier `--keep-database` run seeded (no seeding, kept). */
const REUSE = process.argv.includes("--database") ? process.argv[process.argv.indexOf("--database") + 1] : undefined;

const log = (message: string) => process.stderr.write(`portal-orders: ${message}\n`);

const quote = (text: string) => `'${text.replace(/'/g, "''")}'`;
/** The fixed-shape ids of seeded rows: kind and number readable in the uuid, valid v4 layout. */
const idOf = (kind: number, n: number) =>
  `${kind.toString(16).padStart(8, "0")}-0000-4000-8000-${n.toString(16).padStart(12, "0")}`;

interface SeededShop {
  workspaceId: string;
  shopId: string;
  /** Id space of the shop's rows (the first group of their uuids). */
  base: number;
  domain: string;
}
const MAIN: SeededShop = { workspaceId: idOf(0x30, 0), shopId: idOf(0x30, 1), base: 0x30, domain: BENCH_SHOP.domain };
const OTHER: SeededShop = {
  workspaceId: idOf(0x40, 0),
  shopId: idOf(0x40, 1),
  base: 0x40,
  domain: "other-shop.myshopify.com",
};
const ORDER_KIND = 6;
const SESSION_KIND = 7;

/**
 * The measured shoppers. Orders 1…5,082 of each shop are theirs (in this order); the rest belong
 * to customers numbered from 1,000 and to guests.
 */
const SHOPPERS = [
  { name: "customer-1", orders: 1, customer: 1, email: "one.order@example.com" },
  { name: "customer-40", orders: 40, customer: 2, email: "forty.orders@example.com" },
  { name: "email-1", orders: 1, customer: null, email: "guest.once@example.com" },
  { name: "email-40", orders: 40, customer: null, email: "guest.often@example.com" },
  { name: "wholesale", orders: WHOLESALE_ORDERS, customer: 3, email: "buyer@wholesale.example" },
] as const;
const customerGid = (n: number | string) => `'gid://shopify/Customer/' || (${n})`;

// ---------------------------------------------------------------------------------------------
// Seeding

/** Three snapshot shapes, as the sync stores them; the SQL gives each order its own id, name, dates, buyer. */
function snapshotTemplates(): ShopifyOrderSnapshot[] {
  const placed = "2026-03-01T10:00:00Z";
  const shipped = "2026-03-02T09:00:00Z";
  const full = (order: Parameters<typeof buildOrder>[0]): ShopifyOrderSnapshot => {
    const base = buildOrder({ payment: { gatewayNames: ["shopify_payments"], paidAt: placed }, ...order });
    const address = {
      name: "Inès Moreau", firstName: "Inès", lastName: "Moreau", company: null, address1: "12 rue Oberkampf",
      address2: null, city: "Paris", province: null, provinceCode: null, country: "France", countryCode: "FR",
      zip: "75011", phone: "+33 1 23 45 67 89",
    }; // prettier-ignore
    return {
      ...base,
      updatedAt: base.createdAt,
      email: null,
      phone: null,
      customerId: null,
      currencyCode: base.totalPrice.currencyCode,
      subtotalPrice: money("79.99", base.totalPrice.currencyCode),
      note: null,
      tags: [],
      shippingAddress: address,
      billingAddress: address,
      returns: [],
    };
  };
  const items = () => [
    buildLineItem({ title: "Merino scarf", quantity: 1, fulfillableQuantity: 0 }),
    buildLineItem({ title: "Linen cushion cover", quantity: 2, fulfillableQuantity: 0 }),
  ];
  const parcel = (delivered: boolean, lineItems: ReturnType<typeof items>) =>
    buildFulfillment({
      createdAt: shipped,
      updatedAt: delivered ? "2026-03-04T15:00:00Z" : shipped,
      displayStatus: delivered ? "DELIVERED" : "IN_TRANSIT",
      deliveredAt: delivered ? "2026-03-04T15:00:00Z" : null,
      lineItems: lineItems.map((item) => ({ lineItemId: item.id, quantity: item.quantity })),
      events: [
        buildFulfillmentEvent({ status: "IN_TRANSIT", happenedAt: shipped, message: "Left the depot", city: "Lyon" }),
        buildFulfillmentEvent({ status: "OUT_FOR_DELIVERY", happenedAt: "2026-03-04T08:00:00Z", city: "Paris" }),
        ...(delivered ? [buildFulfillmentEvent({ status: "DELIVERED", happenedAt: "2026-03-04T15:00:00Z" })] : []),
      ],
    });
  const deliveredItems = items();
  const transitItems = items();
  return [
    full({ fulfillmentStatus: "FULFILLED", lineItems: deliveredItems, fulfillments: [parcel(true, deliveredItems)] }),
    full({ fulfillmentStatus: "FULFILLED", lineItems: transitItems, fulfillments: [parcel(false, transitItems)] }),
    full({ fulfillmentStatus: "UNFULFILLED", lineItems: items().map((item) => ({ ...item, fulfillableQuantity: item.quantity })) }),
  ]; // prettier-ignore
}

/** The orders of one shop: the measured shoppers' first, then everyone else's. */
function ordersSql(shop: SeededShop, orders: number, templates: ShopifyOrderSnapshot[]): string {
  const customers = Math.max(10, Math.round(orders / ORDERS_PER_CUSTOMER));
  // Which shopper an order number belongs to: [first order, last order, customer number, email].
  const ranges: string[] = [];
  let first = 1;
  for (const shopper of SHOPPERS) {
    const last = first + shopper.orders - 1;
    ranges.push(
      `WHEN o BETWEEN ${first} AND ${last} THEN ROW(${shopper.customer ?? "NULL"}::bigint, ${quote(shopper.email)})::bench_buyer`,
    );
    first = last + 1;
  }
  const shapes = templates.map((template, index) => ({
    index: index + 1,
    json: quote(JSON.stringify(template)),
    status: quote(shopperOrderStatus(template)),
    fulfillment: quote(template.fulfillmentStatus),
  }));
  const pick = (field: "json" | "status" | "fulfillment") =>
    `CASE shape ${shapes.map((shape) => `WHEN ${shape.index} THEN ${shape[field]}`).join(" ")} END`;
  return `
    INSERT INTO "ShopifyOrder" (id, "shopId", "shopifyId", name, email, "shopifyCustomerId", "shopifyCreatedAt",
                                "shopifyUpdatedAt", "financialStatus", "fulfillmentStatus", "shopperStatus",
                                "totalAmount", "currencyCode", snapshot, "activityAt")
    SELECT bench_id(${shop.base + ORDER_KIND}, o), ${quote(shop.shopId)}, gid, '#' || (1000 + o), (buyer).email,
           CASE WHEN (buyer).customer IS NOT NULL THEN ${customerGid("(buyer).customer")} END,
           at, at, 'PAID', ${pick("fulfillment")}, ${pick("status")}, '89.99', 'EUR',
           (${pick("json")})::jsonb || jsonb_build_object(
             'id', gid, 'name', '#' || (1000 + o), 'createdAt', at, 'processedAt', at, 'updatedAt', at,
             'email', (buyer).email,
             'customerId', CASE WHEN (buyer).customer IS NOT NULL THEN ${customerGid("(buyer).customer")} END),
           at
      FROM generate_series(1, ${orders}) o,
           LATERAL (SELECT 'gid://shopify/Order/' || (${shop.base * 1_000_000_000} + o) AS gid,
                           now() - (bench_h(o, 3) % (3 * 365 * 86400)) * interval '1 second' AS at,
                           -- Older orders are mostly delivered; a few in transit or unshipped.
                           CASE WHEN bench_h(o, 4) % 10 < 8 THEN 1 WHEN bench_h(o, 4) % 10 < 9 THEN 2 ELSE 3 END AS shape) x,
           LATERAL (SELECT CASE ${ranges.join("\n                           ")}
                           WHEN bench_h(o, 1) % 10 = 0
                             THEN ROW(NULL, 'guest' || (bench_h(o, 2) % ${customers}) || '@mail.example')::bench_buyer
                           ELSE ROW(1000 + bench_h(o, 2) % ${customers},
                                    'customer' || (1000 + bench_h(o, 2) % ${customers}) || '@mail.example')::bench_buyer
                           END AS buyer) b`;
}

async function seed(url: string, orders: number) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const step = async (what: string, sql: string, connection = client) => {
    const started = performance.now();
    await connection.query(sql);
    log(`${what} (${seconds(started).toFixed(1)} s)`);
  };
  await client.query(`SET TimeZone = 'UTC'`);
  await client.query(`SET work_mem = '256MB'`);
  await client.query(`SET session_replication_role = replica`);
  await client.query(`
    CREATE FUNCTION bench_h(n bigint, salt int) RETURNS bigint LANGUAGE sql IMMUTABLE PARALLEL SAFE
      AS $$ SELECT (hashint8(n * 1009 + salt) & 2147483647)::bigint $$;
    CREATE FUNCTION bench_id(kind int, n bigint) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE
      AS $$ SELECT lpad(to_hex(kind), 8, '0') || '-0000-4000-8000-' || lpad(to_hex(n), 12, '0') $$;
    CREATE TYPE bench_buyer AS (customer bigint, email text);`);

  const { rows: indexes } = await client.query<{ name: string; def: string }>(
    `SELECT i.indexrelid::regclass::text AS name, pg_get_indexdef(i.indexrelid) AS def
       FROM pg_index i JOIN pg_class t ON t.oid = i.indrelid
      WHERE t.relnamespace = 'public'::regnamespace AND t.relname = 'ShopifyOrder'
        AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)`,
  );
  await client.query(indexes.map(({ name }) => `DROP INDEX ${name};`).join("\n"));
  log(`dropped ${indexes.length} secondary indexes of ShopifyOrder for the load`);

  const templates = snapshotTemplates();
  for (const [shop, count] of [
    [MAIN, orders],
    [OTHER, Math.max(6_000, Math.round(orders / 10))],
  ] as const) {
    await client.query(`INSERT INTO "Workspace" (id, name) VALUES ($1, $2)`, [shop.workspaceId, shop.domain]);
    await client.query(
      `INSERT INTO "Shop" (id, domain, "workspaceId", name, "currencyCode", "ianaTimezone", "updatedAt")
       VALUES ($1, $2, $3, $4, 'EUR', 'Europe/Berlin', now())`,
      [shop.shopId, shop.domain, shop.workspaceId, shop.domain],
    );
    await step(`${shop.domain}: ${count.toLocaleString("en")} orders`, ordersSql(shop, count, templates));
  }
  // One session per measured shopper, as a sign-in by code opens it (the email lower-cased).
  for (const [index, shopper] of SHOPPERS.entries()) {
    await client.query(
      `INSERT INTO "PortalSession" (id, "shopId", method, "shopifyCustomerId", email, "expiresAt")
       VALUES ($1, $2, 'email_code', $3, $4, now() + interval '1 day')`,
      [
        idOf(MAIN.base + SESSION_KIND, index + 1),
        MAIN.shopId,
        shopper.customer === null ? null : `gid://shopify/Customer/${shopper.customer}`,
        shopper.email,
      ],
    );
  }
  await client.query(`DROP FUNCTION bench_h, bench_id; DROP TYPE bench_buyer`);

  // Rebuild the indexes two at a time (two cores).
  const started = performance.now();
  const builder = new pg.Client({ connectionString: url });
  await builder.connect();
  const queue = [...indexes];
  const build = async (connection: pg.Client) => {
    await connection.query(`SET maintenance_work_mem = '1GB'`);
    for (let index = queue.shift(); index; index = queue.shift()) await step(`  ${index.name}`, index.def, connection);
  };
  await Promise.all([build(client), build(builder)]);
  log(`indexes rebuilt (${seconds(started).toFixed(1)} s)`);
  await builder.end();
  await step("vacuumed and analyzed", `VACUUM ANALYZE "ShopifyOrder", "PortalSession", "Shop", "Workspace"`);
  await client.end();
}

// ---------------------------------------------------------------------------------------------
// Measuring

async function main() {
  const database = REUSE
    ? { url: REUSE, description: "an already seeded database (--database)", dispose: async () => {} }
    : await benchDatabase();
  log(`database: ${database.description}`);
  let pool: pg.Pool | null = null;
  let appLoaded = false;
  try {
    if (!REUSE) {
      migrateDatabase(database.url);
      log(
        `seeding ${ORDERS.toLocaleString("en")} orders of ~${Math.round(ORDERS / ORDERS_PER_CUSTOMER).toLocaleString("en")} ` +
          `customers and guests (and a tenth of that in another shop)`,
      );
      const seeded = performance.now();
      await seed(database.url, ORDERS);
      report("portal-orders-seed-seconds", seconds(seeded), "s");
    }

    Object.assign(process.env, {
      SHOPIFY_API_KEY: DEV_APP_CREDENTIALS.apiKey,
      SHOPIFY_API_SECRET: DEV_APP_CREDENTIALS.apiSecret,
      SHOPIFY_APP_URL: "https://shopdesk.example",
      DATABASE_URL: database.url,
      LOG_LEVEL: "silent",
    });
    appLoaded = true;
    const { db } = await import("~/db.server");
    const { listPortalOrders, getPortalOrder } = await import("~/services/portal/orders.server");
    pool = new pg.Pool({ connectionString: database.url, max: 4 });
    const bare = pool;

    const shop = await db.shop.findUniqueOrThrow({
      where: { id: MAIN.shopId },
      select: { id: true, domain: true, workspaceId: true, name: true, ianaTimezone: true },
    });
    const call = { shop, loggedInCustomerId: null, clientIp: "203.0.113.7", body: {}, locale: "en" };
    const sessions = await db.portalSession.findMany({
      where: { shopId: shop.id },
      select: { id: true, shopId: true, shopifyCustomerId: true, email: true, orderId: true, locale: true },
    });
    const sessionOf = (name: string) => {
      const index = SHOPPERS.findIndex((shopper) => shopper.name === name);
      return sessions.find((session) => session.id === idOf(MAIN.base + SESSION_KIND, index + 1))!;
    };

    const measure = async (name: string, app: () => Promise<unknown>) => {
      const statements = await captureStatements(app);
      const samples = await sampleAppAndBare(app, () => replayStatements(bare, statements), LIMITS);
      log(
        `${name}: ${statements.length} statements, ${samples.app.length} iterations each in ` +
          `${samples.seconds.toFixed(1)} s (load average ${os.loadavg()[0]!.toFixed(1)})`,
      );
      reportAppAndBare(`portal-orders-${name}`, samples);
      return samples;
    };

    const listP95s: number[] = [];
    for (const shopper of SHOPPERS) {
      const session = sessionOf(shopper.name);
      const first = await listPortalOrders(call, session, null);
      if (!first.ok) throw new Error(`${shopper.name}: the list refused the first page`);
      const expected = Math.min(20, shopper.orders);
      if (first.orders.length !== expected) {
        throw new Error(`${shopper.name}: ${first.orders.length} orders on the first page, expected ${expected}`);
      }
      const samples = await measure(`list-${shopper.name}`, () => listPortalOrders(call, session, null));
      if (shopper.orders <= 40) listP95s.push(percentile(samples.app, 95));

      if (shopper.name === "wholesale") {
        // Page 100: follow the cursors, then measure that page.
        let cursor = first.nextCursor;
        for (let page = 2; page < 100 && cursor; page++) {
          const next = await listPortalOrders(call, session, cursor);
          cursor = next.ok ? next.nextCursor : null;
        }
        if (!cursor) throw new Error("wholesale: fewer than 100 pages");
        await measure("list-wholesale-later", () => listPortalOrders(call, session, cursor));
      }
    }
    report("portal-orders-list-p95", Math.max(...listP95s), "ms");

    const session = sessionOf("customer-40");
    const list = await listPortalOrders(call, session, null);
    const orderId = list.ok ? list.orders[7]!.id : "";
    const order = await getPortalOrder(call, session, orderId);
    if (!order) throw new Error("the order page found no order");
    log(`order page: ${order.name}, ${order.status}, ${order.tracking?.timeline.length ?? 0} tracking events`);
    await measure("order", () => getPortalOrder(call, session, orderId));
  } finally {
    await pool?.end();
    if (appLoaded) await (await import("~/db.server")).closeDatabase();
    if (REUSE) log("left the database as it was");
    else if (KEEP && external) log(`kept the database: ${database.url}`);
    else await database.dispose();
  }
}

await main();
