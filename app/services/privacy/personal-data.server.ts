import { db } from "~/db.server";
import { mentionsCustomer, type CustomerIdentity } from "~/domain/personal-data";
import { Prisma } from "~/generated/prisma/client";

/**
 * Every place we keep personal data registers here, so a GDPR data request reports all of it and
 * a redaction erases all of it. Adding a table with personal data means adding a holder.
 */
interface PersonalDataHolder {
  name: string;
  collect(shopDomain: string, who: CustomerIdentity): Promise<unknown[]>;
  erase(shopDomain: string, who: CustomerIdentity): Promise<number>;
}

// Narrow with SQL on the payload text first (cheap), then confirm each candidate precisely.
async function webhookEventsMentioning(shopDomain: string, who: CustomerIdentity) {
  const needles = [who.email, who.phone ? who.phone.replace(/\D/g, "").slice(-7) : null, who.id].filter(
    (needle): needle is string => Boolean(needle),
  );
  if (needles.length === 0) return [];
  const candidates = await db.$queryRaw<{ id: string }[]>`
    SELECT id FROM "WebhookEvent"
    WHERE "shopDomain" = ${shopDomain} AND "redactedAt" IS NULL
      AND (${Prisma.join(
        needles.map((needle) => Prisma.sql`payload::text ILIKE ${"%" + needle + "%"}`),
        " OR ",
      )})`;
  if (candidates.length === 0) return [];
  const rows = await db.webhookEvent.findMany({
    where: { id: { in: candidates.map((row) => row.id) } },
    select: { id: true, topic: true, eventId: true, receivedAt: true, payload: true },
  });
  return rows.filter((row) => mentionsCustomer(row.payload, who));
}

const webhookEvents: PersonalDataHolder = {
  name: "webhookEvents",
  async collect(shopDomain, who) {
    const rows = await webhookEventsMentioning(shopDomain, who);
    return rows.map(({ topic, eventId, receivedAt, payload }) => ({ topic, eventId, receivedAt, payload }));
  },
  async erase(shopDomain, who) {
    const rows = await webhookEventsMentioning(shopDomain, who);
    if (rows.length === 0) return 0;
    const result = await db.webhookEvent.updateMany({
      where: { id: { in: rows.map((row) => row.id) } },
      data: { payload: { redacted: true }, redactedAt: new Date() },
    });
    return result.count;
  },
};

const holders: PersonalDataHolder[] = [webhookEvents];

export async function collectCustomerData(shopDomain: string, who: CustomerIdentity) {
  const report: Record<string, unknown[]> = {};
  for (const holder of holders) report[holder.name] = await holder.collect(shopDomain, who);
  return report;
}

export async function eraseCustomerData(shopDomain: string, who: CustomerIdentity) {
  const erased: Record<string, number> = {};
  for (const holder of holders) erased[holder.name] = await holder.erase(shopDomain, who);
  return erased;
}

/**
 * shop/redact: everything the shop owns goes (its rows cascade from Shop), its sessions and
 * webhook history too; its workspace goes with its last shop. Only the compliance log remains,
 * with no personal data in it.
 */
export async function eraseShop(shopDomain: string) {
  await db.$transaction(async (tx) => {
    await tx.session.deleteMany({ where: { shop: shopDomain } });
    await tx.webhookEvent.deleteMany({ where: { shopDomain } });
    await tx.complianceRequest.updateMany({ where: { shopDomain }, data: { email: null, report: Prisma.DbNull } });
    const shop = await tx.shop.findUnique({ where: { domain: shopDomain }, select: { id: true, workspaceId: true } });
    if (!shop) return;
    await tx.shop.delete({ where: { id: shop.id } });
    const remaining = await tx.shop.count({ where: { workspaceId: shop.workspaceId } });
    if (remaining === 0) await tx.workspace.delete({ where: { id: shop.workspaceId } });
  });
}
