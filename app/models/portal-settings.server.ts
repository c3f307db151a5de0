import { db } from "~/db.server";
import type { PortalSettings } from "~/generated/prisma/client";

// A store's portal options (prisma model PortalSettings). A store that never saved them has none
// stored: it gets the schema's defaults, built here from the same values.

export type PortalOptions = Omit<PortalSettings, "shopId" | "updatedAt" | "smsAuthTokenSealed"> & {
  /** Whether an SMS auth token is stored (the token itself never leaves the server). */
  smsAuthTokenSet: boolean;
};

export const DEFAULT_PORTAL_OPTIONS: PortalOptions = {
  trackEnabled: true,
  returnEnabled: true,
  returnWindowFrom: "delivered",
  returnWindowDays: 30,
  loopReturnsUrl: null,
  cancelEnabled: true,
  cancelStatuses: ["unfulfilled", "processing_fulfillment"],
  reportIssueEnabled: true,
  issueOptions: null,
  signInEmailCode: true,
  signInSmsCode: false,
  signInOrderNumber: true,
  smsAccountSid: null,
  smsFrom: null,
  smsApiBaseUrl: null,
  smsAuthTokenSet: false,
  accentColor: "#1f5199",
  launcherPosition: "right",
  launcherLabel: null,
};

/** The store's portal options, its defaults when it never saved any. */
export async function portalOptions(shopId: string): Promise<PortalOptions> {
  const stored = await db.portalSettings.findUnique({ where: { shopId } });
  if (!stored) return { ...DEFAULT_PORTAL_OPTIONS };
  const { shopId: _shop, updatedAt: _updated, smsAuthTokenSealed, ...options } = stored;
  return { ...options, smsAuthTokenSet: smsAuthTokenSealed !== null };
}

/** The sealed SMS auth token (encryptSecret's output), for the SMS sender only. */
export async function sealedSmsAuthToken(shopId: string): Promise<string | null> {
  const stored = await db.portalSettings.findUnique({ where: { shopId }, select: { smsAuthTokenSealed: true } });
  return stored?.smsAuthTokenSealed ?? null;
}
