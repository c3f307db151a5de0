// Deterministic demo/test data: three shops (two of one merchant, sharing customers), each with
// customers and orders in every state a helpdesk meets. 100k orders take a couple of seconds.
import {
  FULFILLMENT_EVENT_STATUSES,
  type AddressRecord,
  type CurrencyCode,
  type CustomerRecord,
  type FulfillmentEventStatus,
  type FulfillmentRecord,
  type LineItemRecord,
  type OrderRecord,
  type RefundRecord,
  type ReturnRecord,
  type ShopRecord,
} from "./model.ts";
import { Prng } from "./prng.ts";
import { defaultEventMessage, type ShopState, type World } from "./world.ts";

export interface SeedShop {
  domain: string;
  name: string;
  ownerEmail: string;
  ownerName: string;
  currencyCode: CurrencyCode;
  ianaTimezone: string;
  region: "EU" | "US" | "CA";
  /** Customers whose email also exists in other shops with the same `sharedPool`. */
  sharedPool?: string;
  plan?: ShopRecord["plan"];
}

export interface SeedOptions {
  /** PRNG seed; the same seed gives the same world. */
  seed?: number | string;
  ordersPerShop?: number;
  customersPerShop?: number;
  /** How many customers of a `sharedPool` exist in every shop of that pool. */
  sharedCustomers?: number;
  shops?: SeedShop[];
  /** "Now" for the timeline (default: the current time); orders span the 180 days before it. */
  now?: string | Date;
}

export const DEFAULT_SEED_SHOPS: SeedShop[] = [
  {
    domain: "maple-goods-eu.myshopify.com",
    name: "Maple Goods EU",
    ownerEmail: "owner@maplegoods.example",
    ownerName: "Mara Lindqvist",
    currencyCode: "EUR",
    ianaTimezone: "Europe/Berlin",
    region: "EU",
    sharedPool: "maple-goods",
  },
  {
    domain: "maple-goods-us.myshopify.com",
    name: "Maple Goods US",
    ownerEmail: "owner@maplegoods.example",
    ownerName: "Mara Lindqvist",
    currencyCode: "USD",
    ianaTimezone: "America/New_York",
    region: "US",
    sharedPool: "maple-goods",
  },
  {
    domain: "north-trail.myshopify.com",
    name: "North Trail Outfitters",
    ownerEmail: "hello@northtrail.example",
    ownerName: "Sam Okafor",
    currencyCode: "CAD",
    ianaTimezone: "America/Vancouver",
    region: "CA",
  },
];

/** What a seeded order looks like; every kind appears at least once per shop (given enough orders). */
export const SEED_ORDER_KINDS = [
  "unfulfilled",
  "partially_fulfilled",
  "fulfilled_no_tracking_events",
  "in_transit",
  "out_for_delivery",
  "attempted_delivery",
  "ready_for_pickup",
  "delivered",
  "failed_delivery",
  "cancelled",
  "refunded",
  "partially_refunded",
  "returned",
] as const;
export type SeedOrderKind = (typeof SEED_ORDER_KINDS)[number];

/** Orders placed in the last IN_FLIGHT_DAYS are mostly still on their way; older ones have settled. */
const IN_FLIGHT_DAYS = 10;
const RECENT_WEIGHTS: Partial<Record<SeedOrderKind, number>> = {
  unfulfilled: 25,
  partially_fulfilled: 10,
  fulfilled_no_tracking_events: 4,
  in_transit: 22,
  out_for_delivery: 8,
  attempted_delivery: 5,
  ready_for_pickup: 5,
  delivered: 12,
  failed_delivery: 3,
  cancelled: 6,
};
const SETTLED_WEIGHTS: Partial<Record<SeedOrderKind, number>> = {
  unfulfilled: 2,
  fulfilled_no_tracking_events: 4,
  delivered: 55,
  failed_delivery: 3,
  cancelled: 7,
  refunded: 6,
  partially_refunded: 7,
  returned: 4,
};
const RECENT_KINDS = Object.keys(RECENT_WEIGHTS) as SeedOrderKind[];
const SETTLED_KINDS = (Object.keys(SETTLED_WEIGHTS) as SeedOrderKind[]).filter((kind) => !RECENT_KINDS.includes(kind));

const FIRST_NAMES = [
  "Ava",
  "Liam",
  "Noah",
  "Emma",
  "Mia",
  "Lucas",
  "Sofia",
  "Elias",
  "Lina",
  "Jonas",
  "Chloe",
  "Mateo",
  "Nora",
  "Hugo",
  "Freya",
  "Oscar",
  "Ines",
  "Leo",
  "Maya",
  "Felix",
  "Zoe",
  "Theo",
  "Ella",
  "Arjun",
  "Yuki",
  "Amara",
  "Kofi",
  "Priya",
  "Omar",
  "Hana",
  "Diego",
  "Lea",
  "Finn",
  "Ivy",
  "Rafael",
  "Aiko",
  "Nia",
  "Samir",
  "Greta",
  "Tomas",
];
const LAST_NAMES = [
  "Smith",
  "Müller",
  "Garcia",
  "Rossi",
  "Dubois",
  "Jansen",
  "Novak",
  "Kowalski",
  "Nguyen",
  "Tanaka",
  "Okafor",
  "Johansson",
  "Silva",
  "Murphy",
  "Schmidt",
  "Moreau",
  "Fischer",
  "Bakker",
  "Costa",
  "Larsen",
  "Kim",
  "Patel",
  "Brown",
  "Wilson",
  "Martin",
  "Lefebvre",
  "Haddad",
  "Ivanova",
  "Fernandes",
  "OBrien",
];

interface Place {
  city: string;
  province: string | null;
  provinceCode: string | null;
  country: string;
  countryCode: string;
  zip: string;
}
const PLACES: Record<SeedShop["region"], Place[]> = {
  EU: [
    { city: "Berlin", province: null, provinceCode: null, country: "Germany", countryCode: "DE", zip: "10115" },
    { city: "Hamburg", province: null, provinceCode: null, country: "Germany", countryCode: "DE", zip: "20095" },
    {
      city: "Amsterdam",
      province: null,
      provinceCode: null,
      country: "Netherlands",
      countryCode: "NL",
      zip: "1012 AB",
    },
    { city: "Lyon", province: null, provinceCode: null, country: "France", countryCode: "FR", zip: "69001" },
    { city: "Milano", province: "Milano", provinceCode: "MI", country: "Italy", countryCode: "IT", zip: "20121" },
    { city: "Wien", province: null, provinceCode: null, country: "Austria", countryCode: "AT", zip: "1010" },
  ],
  US: [
    {
      city: "Brooklyn",
      province: "New York",
      provinceCode: "NY",
      country: "United States",
      countryCode: "US",
      zip: "11201",
    },
    {
      city: "Austin",
      province: "Texas",
      provinceCode: "TX",
      country: "United States",
      countryCode: "US",
      zip: "78701",
    },
    {
      city: "Portland",
      province: "Oregon",
      provinceCode: "OR",
      country: "United States",
      countryCode: "US",
      zip: "97205",
    },
    {
      city: "Denver",
      province: "Colorado",
      provinceCode: "CO",
      country: "United States",
      countryCode: "US",
      zip: "80202",
    },
    {
      city: "Chicago",
      province: "Illinois",
      provinceCode: "IL",
      country: "United States",
      countryCode: "US",
      zip: "60601",
    },
  ],
  CA: [
    {
      city: "Vancouver",
      province: "British Columbia",
      provinceCode: "BC",
      country: "Canada",
      countryCode: "CA",
      zip: "V6B 1A1",
    },
    { city: "Calgary", province: "Alberta", provinceCode: "AB", country: "Canada", countryCode: "CA", zip: "T2P 1J9" },
    { city: "Toronto", province: "Ontario", provinceCode: "ON", country: "Canada", countryCode: "CA", zip: "M5H 2N2" },
    { city: "Montréal", province: "Quebec", provinceCode: "QC", country: "Canada", countryCode: "CA", zip: "H2Y 1C6" },
  ],
};
const STREETS = [
  "Maple Street",
  "Harbour Road",
  "Lindenweg",
  "Rue du Lac",
  "Cedar Avenue",
  "King Street",
  "Birch Lane",
];

const PRODUCTS: { title: string; variants: (string | null)[]; cents: number; sku: string }[] = [
  { title: "Maple Syrup Grade A", variants: ["250 ml", "500 ml", "1 l"], cents: 1290, sku: "SYRUP" },
  { title: "Wool Blanket", variants: ["Grey", "Forest"], cents: 8900, sku: "BLANKET" },
  { title: "Enamel Camp Mug", variants: ["White", "Blue", "Red"], cents: 1850, sku: "MUG" },
  { title: "Trail Backpack 28L", variants: ["Black", "Olive"], cents: 12900, sku: "PACK28" },
  { title: "Merino Socks", variants: ["S", "M", "L"], cents: 1900, sku: "SOCKS" },
  { title: "Cedar Candle", variants: [null], cents: 2400, sku: "CANDLE" },
  { title: "Cast Iron Skillet", variants: ['10"', '12"'], cents: 5400, sku: "SKILLET" },
  { title: "Rain Shell Jacket", variants: ["S", "M", "L", "XL"], cents: 17900, sku: "SHELL" },
  { title: "Headlamp 400", variants: [null], cents: 3900, sku: "LAMP" },
  { title: "Gift Card", variants: ["25", "50"], cents: 2500, sku: "GIFT" },
  { title: "Birch Cutting Board", variants: [null], cents: 4500, sku: "BOARD" },
  { title: "Pancake Mix", variants: ["Classic", "Buckwheat"], cents: 890, sku: "PANCAKE" },
];

const CARRIERS: Record<SeedShop["region"], { company: string; url: (number: string) => string; prefix: string }[]> = {
  EU: [
    { company: "DHL Express", url: (n) => `https://www.dhl.com/en/express/tracking.html?AWB=${n}`, prefix: "JD01" },
    { company: "DPD", url: (n) => `https://tracking.dpd.de/status/en_US/parcel/${n}`, prefix: "0150" },
    { company: "PostNL International", url: (n) => `https://postnl.post/tracktrace?barcode=${n}`, prefix: "LS" },
  ],
  US: [
    { company: "UPS", url: (n) => `https://www.ups.com/track?tracknum=${n}`, prefix: "1Z999AA1" },
    { company: "USPS", url: (n) => `https://tools.usps.com/go/TrackConfirmAction?tLabels=${n}`, prefix: "9400" },
    { company: "FedEx", url: (n) => `https://www.fedex.com/fedextrack/?trknbr=${n}`, prefix: "7489" },
  ],
  CA: [
    {
      company: "Canada Post",
      url: (n) => `https://www.canadapost-postescanada.ca/track-reperage/en#/details/${n}`,
      prefix: "7023",
    },
    { company: "Purolator", url: (n) => `https://www.purolator.com/en/shipping/tracker?pin=${n}`, prefix: "3320" },
    { company: "UPS", url: (n) => `https://www.ups.com/track?tracknum=${n}`, prefix: "1Z999AA1" },
  ],
};

const GATEWAYS = ["shopify_payments", "shopify_payments", "shopify_payments", "paypal", "manual", "gift_card"];
const DAY = 86_400_000;

const iso = (ms: number) => new Date(Math.floor(ms / 1000) * 1000).toISOString().replace(".000Z", "Z");

interface Person {
  firstName: string;
  lastName: string;
  email: string;
  phone: string | null;
}

/** Seeds `world` and returns the seeded shop states. */
export function seedWorld(world: World, options: SeedOptions = {}): ShopState[] {
  const seed = options.seed ?? 20260722;
  const ordersPerShop = options.ordersPerShop ?? 300;
  const customersPerShop = options.customersPerShop ?? 60;
  const sharedCount = Math.min(options.sharedCustomers ?? 20, customersPerShop);
  const now = options.now ? new Date(options.now).getTime() : Date.now();
  const shops = options.shops ?? DEFAULT_SEED_SHOPS;
  const sharedPools = new Map<string, Person[]>();

  return shops.map((shopSeed, shopIndex) => {
    const random = new Prng(`${seed}:${shopSeed.domain}`);
    const shopId = 60_000_000 + shopIndex * 1_000 + 1 + (hashDomain(shopSeed.domain) % 997);
    const place = PLACES[shopSeed.region][0]!;
    const created = iso(now - 400 * DAY);
    const state = world.addShop({
      id: shopId,
      domain: shopSeed.domain,
      name: shopSeed.name,
      email: shopSeed.ownerEmail,
      contactEmail: `support@${shopSeed.domain.replace(".myshopify.com", "")}.example`,
      ownerName: shopSeed.ownerName,
      currencyCode: shopSeed.currencyCode,
      ianaTimezone: shopSeed.ianaTimezone,
      timezoneLabel: `(GMT) ${shopSeed.ianaTimezone}`,
      plan: shopSeed.plan ?? { displayName: "Development", partnerDevelopment: true, shopifyPlus: false },
      address: {
        address1: `1 ${STREETS[0]}`,
        city: place.city,
        province: place.province ?? "",
        provinceCode: place.provinceCode ?? "",
        country: place.country,
        countryCode: place.countryCode,
        countryName: place.country,
        zip: place.zip,
        phone: "+1 555 0100",
      },
      primaryLocale: "en",
      createdAt: created,
      updatedAt: created,
    });

    // Customers: the shared pool first (same people, same emails in every shop of the pool).
    let shared: Person[] = [];
    if (shopSeed.sharedPool) {
      shared = sharedPools.get(shopSeed.sharedPool) ?? [];
      if (shared.length === 0) {
        const poolRandom = new Prng(`${seed}:pool:${shopSeed.sharedPool}`);
        for (let index = 0; index < sharedCount; index++) shared.push(makePerson(poolRandom, `mg${index}`));
        sharedPools.set(shopSeed.sharedPool, shared);
      }
    }
    const handle = shopSeed.domain.split(".")[0]!;
    const customers: CustomerRecord[] = [];
    for (let index = 0; index < customersPerShop; index++) {
      const person = index < shared.length ? shared[index]! : makePerson(random, `${handle.slice(0, 6)}${index}`);
      const createdAt = iso(now - (380 - index * (200 / customersPerShop)) * DAY);
      const address = makeAddress(world, random, shopSeed.region, person);
      const customer: CustomerRecord = {
        id: world.nextId(),
        firstName: person.firstName,
        lastName: person.lastName,
        email: person.email,
        phone: person.phone,
        note: random.chance(0.15)
          ? random.pick(["Prefers email over phone.", "VIP: always ship express.", "Allergic to nuts (pancake mix)."])
          : null,
        tags: random.chance(0.2) ? [random.pick(["VIP", "wholesale", "newsletter"])] : [],
        state: random.chance(0.6) ? "ENABLED" : "DISABLED",
        verifiedEmail: true,
        locale: shopSeed.region === "EU" ? random.pick(["en", "de", "fr", "nl"]) : "en",
        createdAt,
        updatedAt: createdAt,
        addresses: random.chance(0.2) ? [address, makeAddress(world, random, shopSeed.region, person)] : [address],
        orderIds: [],
      };
      customers.push(customer);
      state.addCustomer(customer);
    }

    // Orders, oldest first, so ids, numbers and createdAt grow together as on Shopify. The oldest
    // orders cover every settled kind and the newest every in-flight kind, so small seeds have them all.
    const span = 180 * DAY;
    const inFlightFrom = now - IN_FLIGHT_DAYS * DAY;
    for (let index = 0; index < ordersPerShop; index++) {
      // Ages shrink quadratically: about a quarter of the orders fall into the last IN_FLIGHT_DAYS.
      const remaining = 1 - (index + random.next()) / ordersPerShop;
      const createdMs = Math.min(now - 3_600_000, now - Math.floor(remaining * remaining * span));
      const fromEnd = ordersPerShop - 1 - index;
      let kind: SeedOrderKind;
      if (
        fromEnd < RECENT_KINDS.length &&
        fromEnd >= 0 &&
        ordersPerShop >= RECENT_KINDS.length + SETTLED_KINDS.length
      ) {
        kind = RECENT_KINDS[fromEnd]!;
      } else if (index < SETTLED_KINDS.length) {
        kind = SETTLED_KINDS[index]!;
      } else {
        kind = random.weighted(createdMs >= inFlightFrom ? RECENT_WEIGHTS : SETTLED_WEIGHTS);
      }
      const customer = random.chance(0.03) || customers.length === 0 ? null : random.pick(customers);
      state.addOrder(makeOrder(world, random, state, shopSeed, customer, createdMs, kind, now));
    }
    // Customers' updatedAt follows their last order, as Shopify's does.
    for (const customer of customers) {
      const lastOrderId = customer.orderIds[customer.orderIds.length - 1];
      const lastOrder = lastOrderId === undefined ? undefined : state.orders.get(lastOrderId);
      if (lastOrder && lastOrder.createdAt > customer.updatedAt) customer.updatedAt = lastOrder.createdAt;
    }
    return state;
  });
}

function hashDomain(domain: string): number {
  let hash = 0;
  for (const char of domain) hash = (hash * 31 + char.charCodeAt(0)) >>> 0;
  return hash;
}

function makePerson(random: Prng, tag: string): Person {
  const firstName = random.pick(FIRST_NAMES);
  const lastName = random.pick(LAST_NAMES);
  const local = `${firstName}.${lastName}`
    .toLowerCase()
    .normalize("NFD")
    .replace(/[^a-z.]/g, "");
  return {
    firstName,
    lastName,
    email: `${local}.${tag}@example.com`,
    phone: random.chance(0.5) ? `+1555${String(random.int(1_000_000, 9_999_999))}` : null,
  };
}

function makeAddress(world: World, random: Prng, region: SeedShop["region"], person: Person): AddressRecord {
  const place = random.pick(PLACES[region]);
  return {
    id: world.nextId(),
    firstName: person.firstName,
    lastName: person.lastName,
    company: random.chance(0.1) ? "Acme Studio" : null,
    address1: `${random.int(1, 240)} ${random.pick(STREETS)}`,
    address2: random.chance(0.2) ? `Apt ${random.int(1, 40)}` : null,
    city: place.city,
    province: place.province,
    provinceCode: place.provinceCode,
    country: place.country,
    countryCode: place.countryCode,
    zip: place.zip,
    phone: person.phone,
  };
}

const TRACKING_PATHS: Partial<Record<SeedOrderKind, FulfillmentEventStatus[]>> = {
  partially_fulfilled: ["CONFIRMED", "IN_TRANSIT"],
  in_transit: ["CONFIRMED", "IN_TRANSIT"],
  out_for_delivery: ["CONFIRMED", "IN_TRANSIT", "OUT_FOR_DELIVERY"],
  attempted_delivery: ["CONFIRMED", "IN_TRANSIT", "OUT_FOR_DELIVERY", "ATTEMPTED_DELIVERY"],
  ready_for_pickup: ["CONFIRMED", "IN_TRANSIT", "READY_FOR_PICKUP"],
  delivered: ["CONFIRMED", "IN_TRANSIT", "OUT_FOR_DELIVERY", "DELIVERED"],
  returned: ["CONFIRMED", "IN_TRANSIT", "DELIVERED"],
  failed_delivery: ["CONFIRMED", "IN_TRANSIT", "OUT_FOR_DELIVERY", "FAILURE"],
  refunded: ["CONFIRMED", "IN_TRANSIT", "DELIVERED"],
  partially_refunded: ["CONFIRMED", "IN_TRANSIT", "DELIVERED"],
};

function makeOrder(
  world: World,
  random: Prng,
  shop: ShopState,
  shopSeed: SeedShop,
  customer: CustomerRecord | null,
  createdMs: number,
  kind: SeedOrderKind,
  nowMs: number,
): OrderRecord {
  const number = shop.nextOrderNumber;
  const createdAt = iso(createdMs);
  const lineCount = random.int(1, kind === "partially_fulfilled" ? 4 : 3) + (kind === "partially_fulfilled" ? 1 : 0);
  const lineItems: LineItemRecord[] = [];
  const usedProducts = new Set<number>();
  for (let line = 0; line < lineCount; line++) {
    let productIndex = random.int(0, PRODUCTS.length - 1);
    while (usedProducts.has(productIndex)) productIndex = (productIndex + 1) % PRODUCTS.length;
    usedProducts.add(productIndex);
    const product = PRODUCTS[productIndex]!;
    const variantIndex = random.int(0, product.variants.length - 1);
    const variant = product.variants[variantIndex] ?? null;
    lineItems.push({
      id: world.nextId(),
      title: product.title,
      variantTitle: variant,
      sku: variant ? `${product.sku}-${variant.replace(/\W+/g, "").toUpperCase()}` : product.sku,
      vendor: shopSeed.name,
      quantity: random.chance(0.2) ? random.int(2, 3) : 1,
      unitPriceCents: product.cents + variantIndex * 300,
      productId: 7_000_000_000 + productIndex,
      variantId: 40_000_000_000 + productIndex * 10 + variantIndex,
      grams: 150 + productIndex * 90,
      requiresShipping: product.sku !== "GIFT",
    });
  }
  const person: Person = customer
    ? { firstName: customer.firstName, lastName: customer.lastName, email: customer.email ?? "", phone: customer.phone }
    : makePerson(random, `guest${number}`);
  const shipping = customer?.addresses[0]
    ? { ...customer.addresses[0] }
    : makeAddress(world, random, shopSeed.region, person);
  const order: OrderRecord = {
    id: world.nextId(),
    number,
    name: `#${number}`,
    email: person.email,
    phone: person.phone,
    customerId: customer?.id ?? null,
    createdAt,
    updatedAt: createdAt,
    processedAt: createdAt,
    cancelledAt: null,
    cancelReason: null,
    closedAt: null,
    currencyCode: shopSeed.currencyCode,
    financialStatus: kind === "unfulfilled" && random.chance(0.15) ? "PENDING" : "PAID",
    lineItems,
    shippingCents: random.pick([0, 490, 790, 1290]),
    shippingTitle: random.pick(["Standard", "Express", "Pickup point"]),
    shippingLineId: world.nextId(),
    shippingAddress: shipping,
    billingAddress: { ...shipping },
    paymentGatewayNames: [random.pick(GATEWAYS)],
    fulfillments: [],
    refunds: [],
    returns: [],
    note: random.chance(0.1)
      ? random.pick(["Please gift wrap.", "Leave at the back door.", "Birthday present!"])
      : null,
    tags: random.chance(0.15) ? [random.pick(["wholesale", "priority", "repeat"])] : [],
    sourceName: random.pick(["web", "web", "web", "pos", "shopify_draft_order"]),
    token: random.hex(32),
    confirmationNumber: random.hex(9).toUpperCase(),
    customerLocale: customer?.locale ?? "en",
  };
  let clock = createdMs;
  const step = (minHours: number, maxHours: number) => {
    clock = Math.min(nowMs - 60_000, clock + random.int(minHours, maxHours) * 3_600_000);
    return iso(Math.max(clock, createdMs));
  };

  const path = TRACKING_PATHS[kind];
  if (kind === "cancelled") {
    order.cancelledAt = step(1, 20);
    order.closedAt = order.cancelledAt;
    order.cancelReason = random.pick(["CUSTOMER", "INVENTORY", "FRAUD", "DECLINED"] as const);
    if (random.chance(0.3)) order.financialStatus = "VOIDED";
    else order.refunds.push(makeRefund(world, order, order.cancelledAt, order.lineItems, true, "Order cancelled"));
  } else if (kind !== "unfulfilled") {
    const shipped = kind === "partially_fulfilled" ? lineItems.slice(0, Math.max(1, lineItems.length - 1)) : lineItems;
    const fulfillment = makeFulfillment(
      world,
      random,
      order,
      shipped,
      shopSeed.region,
      step(6, 48),
      kind !== "fulfilled_no_tracking_events",
    );
    for (const status of path ?? []) {
      const happenedAt = step(status === "IN_TRANSIT" ? 8 : 4, 30);
      fulfillment.events.push({
        id: world.nextId(),
        status,
        message: defaultEventMessage(status),
        happenedAt,
        createdAt: happenedAt,
        estimatedDeliveryAt: status === "IN_TRANSIT" ? iso(Date.parse(happenedAt) + 3 * DAY) : null,
        city: shipping.city,
        country: shipping.countryCode,
      });
    }
    fulfillment.updatedAt = fulfillment.events[fulfillment.events.length - 1]?.happenedAt ?? fulfillment.createdAt;
    order.fulfillments.push(fulfillment);
    if (kind !== "partially_fulfilled") order.closedAt = fulfillment.updatedAt;
    if (kind === "refunded")
      order.refunds.push(makeRefund(world, order, step(24, 96), lineItems, true, "Customer returned everything"));
    if (kind === "partially_refunded") {
      order.refunds.push(makeRefund(world, order, step(24, 96), [lineItems[0]!], false, "Damaged in transit"));
    }
    if (kind === "returned") order.returns.push(makeReturn(world, random, order, fulfillment, step(24, 72)));
  }
  order.updatedAt = latestTimestamp(order);
  return order;
}

function makeFulfillment(
  world: World,
  random: Prng,
  order: OrderRecord,
  items: LineItemRecord[],
  region: SeedShop["region"],
  createdAt: string,
  tracked: boolean,
): FulfillmentRecord {
  const carrier = random.pick(CARRIERS[region]);
  const trackingNumber = `${carrier.prefix}${String(random.int(10_000_000, 99_999_999))}${String(random.int(100, 999))}`;
  return {
    id: world.nextId(),
    name: `${order.name}-F${order.fulfillments.length + 1}`,
    status: "SUCCESS",
    createdAt,
    updatedAt: createdAt,
    trackingInfo: tracked
      ? [{ company: carrier.company, number: trackingNumber, url: carrier.url(trackingNumber) }]
      : [],
    lineItems: items.map((item) => ({ id: world.nextId(), lineItemId: item.id, quantity: item.quantity })),
    events: [],
  };
}

function makeRefund(
  world: World,
  order: OrderRecord,
  createdAt: string,
  items: LineItemRecord[],
  full: boolean,
  note: string,
): RefundRecord {
  const lines = items.map((item) => ({
    id: world.nextId(),
    lineItemId: item.id,
    quantity: item.quantity,
    subtotalCents: item.quantity * item.unitPriceCents,
  }));
  const shippingCents = full ? order.shippingCents : 0;
  return {
    id: world.nextId(),
    createdAt,
    note,
    lineItems: lines,
    shippingCents,
    amountCents: lines.reduce((sum, line) => sum + line.subtotalCents, 0) + shippingCents,
    transactionId: world.nextId(),
    gateway: order.paymentGatewayNames[0] ?? "manual",
  };
}

function makeReturn(
  world: World,
  random: Prng,
  order: OrderRecord,
  fulfillment: FulfillmentRecord,
  createdAt: string,
): ReturnRecord {
  const line = fulfillment.lineItems[0]!;
  const status = random.pick(["REQUESTED", "OPEN", "CLOSED"] as const);
  return {
    id: world.nextId(),
    name: `${order.name}-R1`,
    status,
    createdAt,
    requestApprovedAt: status === "REQUESTED" ? null : createdAt,
    closedAt: status === "CLOSED" ? createdAt : null,
    lineItems: [
      {
        id: world.nextId(),
        fulfillmentLineItemId: line.id,
        lineItemId: line.lineItemId,
        quantity: 1,
        reason: random.pick(["SIZE_TOO_SMALL", "DEFECTIVE", "NOT_AS_DESCRIBED", "UNWANTED"]),
      },
    ],
  };
}

function latestTimestamp(order: OrderRecord): string {
  let latest = order.createdAt;
  const consider = (value: string | null) => {
    if (value && value > latest) latest = value;
  };
  consider(order.cancelledAt);
  for (const fulfillment of order.fulfillments) consider(fulfillment.updatedAt);
  for (const refund of order.refunds) consider(refund.createdAt);
  for (const ret of order.returns) consider(ret.createdAt);
  return latest;
}

/** Which seed kind an order shows today (used by tests and the CLI summary). */
export function describeOrderState(order: OrderRecord): string {
  if (order.cancelledAt) return "cancelled";
  const refunded = order.refunds.reduce((sum, refund) => sum + refund.amountCents, 0);
  const total =
    order.lineItems.reduce((sum, item) => sum + item.unitPriceCents * item.quantity, 0) + order.shippingCents;
  if (refunded >= total && refunded > 0) return "refunded";
  if (refunded > 0) return "partially_refunded";
  if (order.returns.length > 0) return "returned";
  if (order.fulfillments.length === 0) return "unfulfilled";
  const ordered = order.lineItems.reduce((sum, item) => sum + item.quantity, 0);
  const shipped = order.fulfillments.reduce((sum, f) => sum + f.lineItems.reduce((s, line) => s + line.quantity, 0), 0);
  if (shipped < ordered) return "partially_fulfilled";
  const last = order.fulfillments[order.fulfillments.length - 1]!;
  const event = last.events[last.events.length - 1];
  if (!event) return "fulfilled_no_tracking_events";
  const byStatus: Partial<Record<FulfillmentEventStatus, string>> = {
    IN_TRANSIT: "in_transit",
    OUT_FOR_DELIVERY: "out_for_delivery",
    ATTEMPTED_DELIVERY: "attempted_delivery",
    READY_FOR_PICKUP: "ready_for_pickup",
    DELIVERED: "delivered",
    FAILURE: "failed_delivery",
  };
  return byStatus[event.status] ?? event.status.toLowerCase();
}

export { FULFILLMENT_EVENT_STATUSES };
