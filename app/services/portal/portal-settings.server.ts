import { db } from "~/db.server";
import { IssueOptionsSchema, type PortalSettingsForm, type PortalSettingsView } from "~/domain/portal-settings";
import { appEmbedsEditorUrl } from "~/domain/theme-app-embed";
import type { FieldErrors } from "~/lib/form-errors";
import { logger } from "~/lib/logger.server";
import { secretsKeyProblem } from "~/lib/secrets.server";
import {
  portalOptions,
  removeSmsAuthToken,
  savePortalOptions,
  type PortalOptions,
} from "~/models/portal-settings.server";
import { AdminApiError, adminForShop, type AdminGraphqlClient } from "~/services/shopify/admin-graphql.server";
import { adminForBackgroundWork } from "~/services/shopify/shop-admin.server";
import { liveThemeEmbed } from "~/services/shopify/theme-app-embed.server";

// Settings → Self-service portal: each store of the workspace has its own portal options (its own
// storefront, return policy, Loop portal and SMS sender). The page edits one store at a time, the
// one the admin is open in unless the merchant picks another of the workspace's stores.

/** The admin's store as routes know it (requireInstalledShop's row). */
export interface CurrentShop {
  id: string;
  domain: string;
  workspaceId: string;
}

export interface PortalStore {
  id: string;
  domain: string;
  name: string;
  /** The store whose admin the app is open in. */
  current: boolean;
}

/** The workspace's installed stores, the current one first. */
export async function workspaceStores(current: CurrentShop): Promise<PortalStore[]> {
  const shops = await db.shop.findMany({
    where: { workspaceId: current.workspaceId, uninstalledAt: null },
    select: { id: true, domain: true, name: true },
    orderBy: { domain: "asc" },
  });
  return shops
    .map((shop) => ({
      id: shop.id,
      domain: shop.domain,
      name: shop.name ?? shop.domain,
      current: shop.id === current.id,
    }))
    .sort((a, b) => Number(b.current) - Number(a.current));
}

/** The store `shopId` names if it is one of the workspace's installed stores; null otherwise. */
async function storeOfWorkspace(current: CurrentShop, shopId: string): Promise<PortalStore | null> {
  return (await workspaceStores(current)).find((store) => store.id === shopId) ?? null;
}

// ---- Is the storefront ready? ----------------------------------------------------------------

/** What the page says about the store's storefront above the form. */
export type StorefrontCheck =
  | { kind: "ready"; themeName: string }
  /** The live theme does not have the app embed on: the launcher shows nowhere. */
  | { kind: "embed-off"; themeName: string; fixUrl: string }
  /** No published theme (headless, or none set up yet). */
  | { kind: "no-theme" }
  /** Shopdesk was not granted read_themes (installed before it asked for it). */
  | { kind: "missing-access" }
  /** Shopify refuses Shopdesk's access to the store (token revoked or invalid, store closed). */
  | { kind: "connection-broken"; current: boolean }
  /** Shopify was slow or unreachable, or answered something we could not read: no claim either way. */
  | { kind: "unknown" };

/** How long the page waits for Shopify before saying it could not check. */
export const STOREFRONT_CHECK_BUDGET_MS = 3000;

const BROKEN_CONNECTION_STATUSES = new Set([401, 402, 403, 404, 423]);

function classifyFailure(error: unknown, store: PortalStore): StorefrontCheck {
  // The library's answer for the admin's own store when Shopify refuses its token (it has already
  // dropped the token, so the next page load exchanges a new one).
  if (error instanceof Response) {
    return error.status === 401 || (error.status >= 300 && error.status < 400)
      ? { kind: "connection-broken", current: store.current }
      : { kind: "unknown" };
  }
  if (error instanceof AdminApiError) {
    if (error.graphqlErrors.some((problem) => problem.code === "ACCESS_DENIED")) return { kind: "missing-access" };
    if (error.reason === "http-status" && error.status !== undefined && BROKEN_CONNECTION_STATUSES.has(error.status)) {
      return { kind: "connection-broken", current: store.current };
    }
    return { kind: "unknown" };
  }
  // No offline session for another store of the workspace: nothing to call Shopify with.
  if (error instanceof Error && error.name === "SessionNotFoundError") {
    return { kind: "connection-broken", current: store.current };
  }
  return { kind: "unknown" };
}

/**
 * Reads the store's live theme through the Admin API and says whether the launcher can show.
 * Never throws and never takes much longer than `budgetMs`: a page waits on it.
 */
export async function checkStorefront(
  store: PortalStore,
  admin: () => Promise<AdminGraphqlClient>,
  budgetMs = STOREFRONT_CHECK_BUDGET_MS,
): Promise<StorefrontCheck> {
  const log = logger.child({ component: "portal-settings", shop: store.domain });
  const check = (async (): Promise<StorefrontCheck> => {
    const live = await liveThemeEmbed(await admin(), {
      // One try, cut short: the answer only decides a banner.
      retry: { maxAttempts: 1, maxThrottledAttempts: 0, attemptTimeoutMs: budgetMs },
    });
    if (!live.theme) return { kind: "no-theme" };
    if (live.embed === "enabled") return { kind: "ready", themeName: live.theme.name };
    if (live.embed === "disabled") {
      return { kind: "embed-off", themeName: live.theme.name, fixUrl: appEmbedsEditorUrl(store.domain) };
    }
    log.warn("The live theme's settings_data.json could not be read", { theme: live.theme.id });
    return { kind: "unknown" };
  })().catch((error: unknown) => {
    const result = classifyFailure(error, store);
    if (result.kind === "unknown") {
      log.warn("Could not check the storefront", { error: error instanceof Error ? error.message : String(error) });
    }
    return result;
  });
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<StorefrontCheck>((resolve) => {
    timer = setTimeout(() => resolve({ kind: "unknown" }), budgetMs);
  });
  try {
    return await Promise.race([check, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

// ---- The page --------------------------------------------------------------------------------

const toView = (options: PortalOptions): PortalSettingsView => {
  const issueOptions = IssueOptionsSchema.nullable().safeParse(options.issueOptions);
  return {
    ...options,
    // The column is JSON: a value the form could not have written falls back to the built-in lists.
    issueOptions: issueOptions.success ? issueOptions.data : null,
  };
};

export interface PortalSettingsPage {
  stores: PortalStore[];
  store: PortalStore;
  settings: PortalSettingsView;
  /** Why an SMS auth token cannot be stored on this server right now, or null. */
  secretsProblem: string | null;
  /** Streamed: the page shows without waiting for Shopify. */
  storefront: Promise<StorefrontCheck>;
}

/**
 * The page for `shopId` (the admin's store when null); null when that is not one of the
 * workspace's installed stores. `currentAdmin` talks to the admin's own store; another store is
 * reached with its stored offline session.
 */
export async function portalSettingsPage(
  current: CurrentShop,
  shopId: string | null,
  currentAdmin: AdminGraphqlClient,
): Promise<PortalSettingsPage | null> {
  const stores = await workspaceStores(current);
  const store = stores.find((candidate) => candidate.id === (shopId ?? current.id));
  if (!store) return null;
  const settings = toView(await portalOptions(store.id));
  const admin = store.current
    ? async () => adminForShop(store.domain, currentAdmin)
    : () => adminForBackgroundWork(store.domain);
  // The key's message speaks of passwords (the email settings' words); here it is the SMS token.
  const secretsProblem = secretsKeyProblem()?.replace(/^Passwords cannot be stored/, "The auth token cannot be stored");
  return { stores, store, settings, secretsProblem: secretsProblem ?? null, storefront: checkStorefront(store, admin) };
}

export type PortalSettingsFormResult =
  | { ok: true; intent: PortalSettingsForm["intent"]; shopId: string; settings: PortalSettingsView }
  | { ok: false; intent: PortalSettingsForm["intent"]; status: 400 | 404 | 409 | 503; errors: FieldErrors };

/** Saves the settings form, or removes the SMS auth token, for one of the workspace's stores. */
export async function handlePortalSettingsForm(
  current: CurrentShop,
  form: PortalSettingsForm,
): Promise<PortalSettingsFormResult> {
  const store = await storeOfWorkspace(current, form.shopId);
  if (!store) {
    return {
      ok: false,
      intent: form.intent,
      status: 404,
      errors: { shopId: ["This store is not in your workspace. Reload the page and choose one of your stores."] },
    };
  }
  if (form.intent === "remove-sms-token") {
    const removed = await removeSmsAuthToken(store.id);
    if (!removed.ok)
      return { ok: false, intent: form.intent, status: removed.status, errors: { smsAuthToken: [removed.error] } };
    return { ok: true, intent: form.intent, shopId: store.id, settings: toView(removed.options) };
  }
  const { intent, shopId: _shopId, ...fields } = form;
  const saved = await savePortalOptions(store.id, fields);
  if (!saved.ok) return { ok: false, intent, status: saved.status, errors: saved.errors };
  return { ok: true, intent, shopId: store.id, settings: toView(saved.options) };
}
