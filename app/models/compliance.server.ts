import { Prisma } from "~/generated/prisma/client";
import { db } from "~/db.server";

export async function recordComplianceRequest(input: {
  shopDomain: string;
  topic: string;
  customerId?: string | null;
  email?: string | null;
  report?: unknown;
}) {
  const shop = await db.shop.findUnique({ where: { domain: input.shopDomain }, select: { id: true } });
  return db.complianceRequest.create({
    data: {
      shopDomain: input.shopDomain,
      shopId: shop?.id ?? null,
      topic: input.topic,
      customerId: input.customerId ?? null,
      email: input.email ?? null,
      report: input.report === undefined ? Prisma.DbNull : (input.report as Prisma.InputJsonValue),
      completedAt: new Date(),
    },
  });
}

export function listComplianceRequests(shopDomain: string) {
  return db.complianceRequest.findMany({ where: { shopDomain }, orderBy: { createdAt: "desc" }, take: 50 });
}
