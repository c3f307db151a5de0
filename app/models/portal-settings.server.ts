import { db } from "~/db.server";
import type { PortalSettingsFields } from "~/domain/portal-settings";
import type { FieldErrors } from "~/lib/form-errors";
import { encryptSecret, SecretsKeyProblem } from "~/lib/secrets.server";
import { Prisma, type PortalSettings } from "~/generated/prisma/client";

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
  cancelRefund: true,
  cancelRestock: true,
  reportIssueEnabled: true,
  issueOptions: null,
  signInEmailCode: true,
  signInSmsCode: false,
  signInOrderNumber: true,
  smsAccountSid: null,
  smsFrom: null,
  smsApiBaseUrl: null,
  smsAuthTokenSet: false,
};

const toOptions = (stored: PortalSettings): PortalOptions => {
  const { shopId: _shop, updatedAt: _updated, smsAuthTokenSealed, ...options } = stored;
  return { ...options, smsAuthTokenSet: smsAuthTokenSealed !== null };
};

/** The store's portal options, its defaults when it never saved any. */
export async function portalOptions(shopId: string): Promise<PortalOptions> {
  const stored = await db.portalSettings.findUnique({ where: { shopId } });
  return stored ? toOptions(stored) : { ...DEFAULT_PORTAL_OPTIONS };
}

/**
 * The associated data the SMS auth token is sealed with (encryptSecret's `context`): bound to the
 * store, so a sealed token copied into another store's row does not decrypt there.
 */
export const smsAuthTokenContext = (shopId: string) => `portal-sms:${shopId}`;

/**
 * The sealed SMS auth token (encryptSecret's output), for the SMS sender only:
 * `decryptSecret(sealed, smsAuthTokenContext(shopId))`.
 */
export async function sealedSmsAuthToken(shopId: string): Promise<string | null> {
  const stored = await db.portalSettings.findUnique({ where: { shopId }, select: { smsAuthTokenSealed: true } });
  return stored?.smsAuthTokenSealed ?? null;
}

export type SavePortalOptionsResult =
  | { ok: true; options: PortalOptions }
  /** 400: a field to fix; 503: the server cannot store the token (its key is not configured). */
  | { ok: false; status: 400 | 503; errors: FieldErrors };

/**
 * Saves every option of the store at once. A blank auth token keeps the stored one; SMS codes
 * need a token, typed now or stored before.
 */
export async function savePortalOptions(
  shopId: string,
  fields: PortalSettingsFields,
): Promise<SavePortalOptionsResult> {
  const { smsAuthToken, issueOptions, ...options } = fields;
  let smsAuthTokenSealed: string | undefined; // undefined: keep what is stored
  if (smsAuthToken !== null) {
    try {
      smsAuthTokenSealed = encryptSecret(smsAuthToken, smsAuthTokenContext(shopId));
    } catch (error) {
      if (error instanceof SecretsKeyProblem)
        return { ok: false, status: 503, errors: { smsAuthToken: [error.message] } };
      throw error;
    }
  } else if (options.signInSmsCode && (await sealedSmsAuthToken(shopId)) === null) {
    return {
      ok: false,
      status: 400,
      errors: {
        smsAuthToken: ["Enter the auth token from your SMS provider's console: SMS codes can't be sent without it."],
      },
    };
  }
  const data = {
    ...options,
    issueOptions: issueOptions === null ? Prisma.DbNull : (issueOptions as Prisma.InputJsonValue),
    ...(smsAuthTokenSealed === undefined ? {} : { smsAuthTokenSealed }),
  };
  const stored = await db.portalSettings.upsert({ where: { shopId }, create: { shopId, ...data }, update: data });
  return { ok: true, options: toOptions(stored) };
}

export type RemoveSmsAuthTokenResult = { ok: true; options: PortalOptions } | { ok: false; status: 409; error: string };

/** Forgets the stored SMS auth token; refused while sign-in by SMS code needs it. */
export async function removeSmsAuthToken(shopId: string): Promise<RemoveSmsAuthTokenResult> {
  // One statement, so a save turning SMS codes on at the same moment cannot slip between check and write.
  const removed = await db.portalSettings.updateMany({
    where: { shopId, signInSmsCode: false },
    data: { smsAuthTokenSealed: null },
  });
  if (removed.count === 0 && (await portalOptions(shopId)).signInSmsCode) {
    return {
      ok: false,
      status: 409,
      error: "Sign-in by SMS code uses this token. Turn SMS codes off and save first, then remove the token.",
    };
  }
  return { ok: true, options: await portalOptions(shopId) };
}
