import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Prng } from "../../dev/store-emulator/prng.ts";
import type { CustomerRecord, DeliveryLogEntry } from "../../dev/store-emulator/index.ts";
import { startIntegrationStack, type IntegrationStack } from "../support/integration-stack.ts";
import { waitForBackfill, waitForWebhooksHandled } from "../support/sync.ts";
import { eventually } from "../support/wait.ts";

// Property: whatever the interleaving of creates, note edits, deletions, erasures and reconciles,
// and whatever order (with duplicates) Shopify's deliveries arrive in, Shopdesk ends where Shopify
// is: every customer Shopify still has is stored with its email, phone and note, linked to one
// helpdesk person holding that note; every deleted or erased one is gone or a tombstone with no
// personal data, and an erased one has no helpdesk person left.
//
// Reproduce a failure with the seed it prints: LIFECYCLE_SEED=<seed> LIFECYCLE_RUNS=1 npx vitest …
const SHOP = "north-trail.myshopify.com";
const RUNS = Number(process.env.LIFECYCLE_RUNS ?? 30);
const FIRST_SEED = Number(process.env.LIFECYCLE_SEED ?? 20261130);

let stack: IntegrationStack;
beforeAll(async () => {
  stack = await startIntegrationStack({ seed: { ordersPerShop: 4, customersPerShop: 3 } });
  expect((await stack.install(SHOP)).status).toBe(200);
  await waitForBackfill(SHOP);
});
afterAll(async () => {
  stack.emulator.releaseWebhooks();
  await stack.emulator.waitForDeliveries();
  await stack.stop();
});

const { db } = await import("~/db.server");
const { logger } = await import("~/lib/logger.server");
const { reconcileShop } = await import("~/services/sync/reconcile.server");

type Op = "create" | "setNote" | "clearNote" | "delete" | "redact" | "reconcile" | "deliver" | "duplicate";

const WEIGHTS: Record<Op, number> = {
  create: 2,
  setNote: 3,
  clearNote: 1.5,
  delete: 1,
  redact: 1,
  reconcile: 1,
  deliver: 3,
  duplicate: 1,
};

class Run {
  readonly random: Prng;
  readonly customers: CustomerRecord[] = [];
  readonly redacted = new Set<number>();
  readonly log: string[] = [];
  private readonly firstDelivery = stack.emulator.deliveries.length;
  private readonly released = new Set<number>();
  private serial = 0;

  constructor(readonly seed: number) {
    this.random = new Prng(seed);
  }

  live() {
    return this.customers.filter((customer) => stack.emulator.shop(SHOP).customer(customer.id));
  }

  /** Deliveries of this run not sent yet (held by the emulator). */
  held(): DeliveryLogEntry[] {
    return stack.emulator.deliveries.slice(this.firstDelivery).filter((entry) => !this.released.has(entry.id));
  }

  /** Sends some held deliveries, in a random order, all at once; reconcile may run alongside. */
  async deliver(count: number, withReconcile = false) {
    const chosen = shuffle(this.random, this.held()).slice(0, count);
    if (chosen.length === 0 && !withReconcile) return;
    for (const entry of chosen) this.released.add(entry.id);
    this.log.push(`deliver ${chosen.map((entry) => `#${entry.id} ${entry.topic}`).join(", ")}`);
    stack.emulator.releaseWebhooks({ ids: chosen.map((entry) => entry.id) });
    await Promise.all([
      withReconcile ? reconcileShop(SHOP, logger) : null,
      eventually(() => chosen.every((entry) => entry.state !== "pending"), { timeoutMs: 20_000, intervalMs: 20 }),
    ]);
    await waitForWebhooksHandled();
  }

  async step(op: Op) {
    const live = this.live();
    switch (op) {
      case "create": {
        const n = ++this.serial;
        const customer = stack.emulator.createCustomer(SHOP, {
          firstName: "Prop",
          lastName: `Seed${this.seed}n${n}`,
          email: `prop.${this.seed}.${n}@example.com`,
          phone: `+1416${String(this.seed % 1000).padStart(3, "0")}${String(n).padStart(4, "0")}`,
          ...(this.random.chance(0.5) ? { note: `First note ${n}` } : {}),
        });
        this.customers.push(customer);
        this.log.push(`create ${customer.id}`);
        return;
      }
      case "setNote":
      case "clearNote": {
        if (live.length === 0) return;
        const customer = this.random.pick(live);
        const note = op === "setNote" ? `Note ${this.random.int(1, 3)}` : null;
        stack.emulator.setCustomerNote(SHOP, customer.id, note);
        this.log.push(`note ${customer.id} = ${JSON.stringify(note)}`);
        return;
      }
      case "delete": {
        if (live.length === 0) return;
        const customer = this.random.pick(live);
        stack.emulator.deleteCustomer(SHOP, customer.id);
        this.log.push(`delete ${customer.id}`);
        return;
      }
      case "redact": {
        // The merchant erases the customer: Shopify deletes them and sends customers/redact.
        if (live.length === 0) return;
        const customer = this.random.pick(live);
        stack.emulator.sendCompliance(SHOP, "customers/redact", { customer: customer.id });
        stack.emulator.deleteCustomer(SHOP, customer.id);
        this.redacted.add(customer.id);
        this.log.push(`redact ${customer.id}`);
        return;
      }
      case "reconcile":
        this.log.push("reconcile");
        return this.deliver(this.random.int(0, 2), true);
      case "deliver":
        return this.deliver(this.random.int(1, 4));
      case "duplicate": {
        const sent = stack.emulator.deliveries.filter((entry) => this.released.has(entry.id));
        if (sent.length === 0) return;
        const entry = this.random.pick(sent);
        stack.emulator.replayDelivery(entry.id); // same event id: a duplicate Shopify may send
        this.log.push(`duplicate #${entry.id}`);
        return;
      }
    }
  }
}

function shuffle<T>(random: Prng, items: readonly T[]): T[] {
  const copy = [...items];
  for (let index = copy.length - 1; index > 0; index--) {
    const other = random.int(0, index);
    [copy[index], copy[other]] = [copy[other]!, copy[index]!];
  }
  return copy;
}

async function expectConverged(run: Run) {
  const shopId = (await db.shop.findUniqueOrThrow({ where: { domain: SHOP } })).id;
  for (const customer of run.customers) {
    const truth = stack.emulator.shop(SHOP).customer(customer.id);
    const email = customer.email!.toLowerCase();
    const row = await db.shopifyCustomer.findFirst({
      where: { shopId, shopifyId: `gid://shopify/Customer/${customer.id}` },
    });
    const people = await db.helpdeskCustomer.findMany({
      where: { emails: { has: email } },
      include: { shopifyCustomers: true },
    });
    const about = `customer ${customer.id}`;
    if (truth) {
      expect(row, about).toMatchObject({ deletedAt: null, email, phone: truth.phone, note: truth.note || null });
      expect(
        people.map((person) => person.id),
        about,
      ).toEqual([row!.helpdeskCustomerId]);
      expect(people[0]!.note, about).toBe(row!.note);
      continue;
    }
    if (row) {
      expect(row, about).toMatchObject({
        deletedAt: expect.any(Date),
        email: null,
        phone: null,
        firstName: null,
        lastName: null,
        note: null,
        addresses: [],
      });
    }
    if (run.redacted.has(customer.id)) expect(people, about).toEqual([]);
    // A deleted customer's helpdesk person may stay (decision 008), known only through the tombstone.
    for (const person of people) {
      expect(person.shopifyCustomers.length, about).toBeGreaterThan(0);
      expect(
        person.shopifyCustomers.every((link) => link.deletedAt !== null),
        about,
      ).toBe(true);
    }
  }
}

describe("the customer lifecycle converges on Shopify's state", () => {
  it(`for ${RUNS} random interleavings of deliveries, duplicates and reconciles`, async () => {
    const started = Date.now();
    stack.emulator.holdWebhooks();
    for (let index = 0; index < RUNS; index++) {
      const run = new Run(FIRST_SEED + index);
      try {
        await run.step("create");
        const steps = run.random.int(6, 12);
        for (let step = 0; step < steps; step++) await run.step(run.random.weighted(WEIGHTS));
        await run.deliver(Number.POSITIVE_INFINITY);
        await expectConverged(run);
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        throw new Error(`Lifecycle property failed for seed ${run.seed} after: ${run.log.join("; ")}\n${message}`, {
          cause: error,
        });
      }
    }
    // Informational: the suite keeps this under a minute.
    console.info(`customer lifecycle property: ${RUNS} runs in ${Date.now() - started} ms`);
  }, 240_000);
});
