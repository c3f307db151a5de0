import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { db } from "~/db.server";
import { Prisma } from "~/generated/prisma/client";

// The Prisma client on this file's own database (a copy of the run's migrated template): the
// behaviours the rest of the app relies on.

async function createShop(domain = `${randomUUID()}.myshopify.com`) {
  return db.shop.create({ data: { domain, workspace: { create: { name: "Test workspace" } } } });
}

describe("db (Prisma client)", () => {
  it("runs on the migrated schema of the DATABASE_URL the harness set", async () => {
    expect(process.env.DATABASE_URL).toMatch(/^postgres(ql)?:\/\/.+\/shopdesk_test_/);
    const [{ migrations }] = await db.$queryRaw<[{ migrations: bigint }]>`
      SELECT count(*) AS migrations FROM "_prisma_migrations" WHERE finished_at IS NOT NULL`;
    expect(Number(migrations)).toBeGreaterThan(0);
  });

  it("creates nested records and reads them back with relations", async () => {
    const shop = await createShop();
    const found = await db.shop.findUnique({ where: { id: shop.id }, include: { workspace: true } });
    expect(found?.workspace.name).toBe("Test workspace");
  });

  it("rolls back an interactive transaction that throws", async () => {
    const before = await db.workspace.count();
    await expect(
      db.$transaction(async (tx) => {
        await tx.workspace.create({ data: { name: "rolled back" } });
        expect(await tx.workspace.count()).toBe(before + 1); // visible inside the transaction
        throw new Error("abort");
      }),
    ).rejects.toThrow("abort");
    expect(await db.workspace.count()).toBe(before);
    expect(await db.workspace.findFirst({ where: { name: "rolled back" } })).toBeNull();
  });

  it("commits an interactive transaction that succeeds", async () => {
    const name = `committed ${randomUUID()}`;
    await db.$transaction(async (tx) => {
      await tx.workspace.create({ data: { name } });
    });
    expect(await db.workspace.count({ where: { name } })).toBe(1);
  });

  it("reports a unique violation as P2002 naming the field", async () => {
    const shop = await createShop();
    const duplicate = createShop(shop.domain);
    await expect(duplicate).rejects.toBeInstanceOf(Prisma.PrismaClientKnownRequestError);
    await expect(duplicate).rejects.toMatchObject({ code: "P2002" });
    const error = (await duplicate.catch((e: unknown) => e)) as Prisma.PrismaClientKnownRequestError;
    expect(JSON.stringify(error.meta)).toContain("domain");
  });

  it("round-trips Json and BigInt columns", async () => {
    const shop = await createShop();
    const payload = { id: 820982911946154500, nested: { tags: ["vip", "ünïcode"] }, empty: null };
    const entry = await db.job.create({
      data: { queue: "test", data: payload, error: "e", attempts: 1, sourceJobId: randomUUID() },
    });
    expect((await db.job.findUniqueOrThrow({ where: { id: entry.id } })).data).toEqual(payload);

    const session = await db.session.create({
      data: { id: randomUUID(), shop: shop.domain, state: "s", accessToken: "t", userId: 9007199254740993n },
    });
    expect((await db.session.findUniqueOrThrow({ where: { id: session.id } })).userId).toBe(9007199254740993n);
  });
});
