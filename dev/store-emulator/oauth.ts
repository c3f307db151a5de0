// POST /admin/oauth/access_token: token exchange (RFC 8693, as @shopify/shopify-api's
// tokenExchange sends it) and the refresh_token grant for expiring offline tokens.
import { randomBytes } from "node:crypto";
import { verifySessionToken } from "./signing.ts";
import type { StaffMember } from "./staff.ts";

export const TOKEN_EXCHANGE_GRANT = "urn:ietf:params:oauth:grant-type:token-exchange";
export const ID_TOKEN_TYPE = "urn:ietf:params:oauth:token-type:id_token";
export const OFFLINE_TOKEN_TYPE = "urn:shopify:params:oauth:token-type:offline-access-token";
export const ONLINE_TOKEN_TYPE = "urn:shopify:params:oauth:token-type:online-access-token";

const ACCESS_TOKEN_TTL_S = 3600;
const REFRESH_TOKEN_TTL_S = 90 * 24 * 3600;
const ONLINE_TOKEN_TTL_S = 86399;

export interface AccessToken {
  shop: string;
  expiresAt: number | null;
  online: boolean;
}

export interface TokenResponse {
  status: number;
  body: Record<string, unknown>;
}

/** Issued tokens as plain JSON, so a restarted emulator still accepts what the app holds. */
export interface TokenSnapshot {
  accessTokens: [string, AccessToken][];
  refreshTokens: [string, { shop: string; expiresAt: number }][];
}

export class TokenStore {
  private readonly accessTokens = new Map<string, AccessToken>();
  private readonly refreshTokens = new Map<string, { shop: string; expiresAt: number }>();

  constructor(
    private readonly app: { apiKey: string; apiSecret: string; scopes: string },
    private readonly onInstalled: (shop: string) => void,
    private readonly clock: () => number = Date.now,
    /** The shop's staff accounts (online tokens belong to one of them). */
    private readonly staffOf: (shop: string) => StaffMember[] = () => [],
  ) {}

  /** The shop an access token belongs to, if it is valid for that shop. */
  check(token: string | undefined, shop: string): boolean {
    if (!token) return false;
    const entry = this.accessTokens.get(token);
    if (!entry || entry.shop !== shop) return false;
    return entry.expiresAt === null || entry.expiresAt > this.clock();
  }

  toSnapshot(): TokenSnapshot {
    return { accessTokens: [...this.accessTokens], refreshTokens: [...this.refreshTokens] };
  }

  restore(snapshot: TokenSnapshot): void {
    for (const [token, entry] of snapshot.accessTokens) this.accessTokens.set(token, entry);
    for (const [token, entry] of snapshot.refreshTokens) this.refreshTokens.set(token, entry);
  }

  revokeShop(shop: string): void {
    for (const [token, entry] of this.accessTokens) if (entry.shop === shop) this.accessTokens.delete(token);
    for (const [token, entry] of this.refreshTokens) if (entry.shop === shop) this.refreshTokens.delete(token);
  }

  /** Issues an offline token directly (for tests that skip the exchange). */
  issueOffline(shop: string, expiring = false): string {
    const token = `shpat_emu_${randomBytes(16).toString("hex")}`;
    this.accessTokens.set(token, {
      shop,
      expiresAt: expiring ? this.clock() + ACCESS_TOKEN_TTL_S * 1000 : null,
      online: false,
    });
    this.onInstalled(shop);
    return token;
  }

  /** Expires every access token of a shop now (to exercise refresh paths). */
  expireAccessTokens(shop: string): void {
    for (const entry of this.accessTokens.values()) if (entry.shop === shop) entry.expiresAt = this.clock() - 1000;
  }

  handle(shop: string, body: Record<string, unknown>): TokenResponse {
    if (body.client_id !== this.app.apiKey || body.client_secret !== this.app.apiSecret) {
      return { status: 401, body: { error: "invalid_client", error_description: "Client authentication failed" } };
    }
    if (body.grant_type === TOKEN_EXCHANGE_GRANT) return this.exchange(shop, body);
    if (body.grant_type === "refresh_token") return this.refresh(shop, body);
    return { status: 400, body: { error: "unsupported_grant_type" } };
  }

  private exchange(shop: string, body: Record<string, unknown>): TokenResponse {
    if (body.subject_token_type !== undefined && body.subject_token_type !== ID_TOKEN_TYPE) {
      return { status: 400, body: { error: "invalid_request", error_description: "unsupported subject_token_type" } };
    }
    let claims;
    try {
      claims = verifySessionToken(String(body.subject_token ?? ""), this.app.apiSecret);
    } catch {
      return { status: 400, body: { error: "invalid_subject_token" } };
    }
    if (claims.aud !== this.app.apiKey || claims.dest !== `https://${shop}`)
      return { status: 400, body: { error: "invalid_subject_token" } };
    const requested = body.requested_token_type ?? OFFLINE_TOKEN_TYPE;
    if (requested === ONLINE_TOKEN_TYPE) {
      // Shopify issues online tokens only for the shop's staff; the token's `sub` is the user.
      const user = this.staffOf(shop).find((member) => member.id === claims.sub);
      if (!user) return { status: 400, body: { error: "invalid_subject_token" } };
      const token = `shpua_emu_${randomBytes(16).toString("hex")}`;
      this.accessTokens.set(token, { shop, expiresAt: this.clock() + ONLINE_TOKEN_TTL_S * 1000, online: true });
      this.onInstalled(shop);
      return {
        status: 200,
        body: {
          access_token: token,
          scope: this.app.scopes,
          expires_in: ONLINE_TOKEN_TTL_S,
          associated_user_scope: this.app.scopes,
          session: randomBytes(16).toString("hex"),
          associated_user: {
            id: Number(user.id),
            first_name: user.firstName,
            last_name: user.lastName,
            email: user.email,
            email_verified: true,
            account_owner: user.accountOwner,
            locale: user.locale,
            collaborator: false,
          },
        },
      };
    }
    if (requested !== OFFLINE_TOKEN_TYPE)
      return { status: 400, body: { error: "invalid_request", error_description: "unsupported requested_token_type" } };
    return {
      status: 200,
      body: this.offlineTokens(shop, body.expiring === "1" || body.expiring === 1 || body.expiring === true),
    };
  }

  private refresh(shop: string, body: Record<string, unknown>): TokenResponse {
    const refreshToken = String(body.refresh_token ?? "");
    const entry = this.refreshTokens.get(refreshToken);
    if (!entry || entry.shop !== shop || entry.expiresAt <= this.clock()) {
      return {
        status: 400,
        body: { error: "invalid_grant", error_description: "refresh token is invalid or expired" },
      };
    }
    // Refresh tokens rotate: the one just used is spent.
    this.refreshTokens.delete(refreshToken);
    return { status: 200, body: this.offlineTokens(shop, true) };
  }

  private offlineTokens(shop: string, expiring: boolean): Record<string, unknown> {
    const accessToken = `shpat_emu_${randomBytes(16).toString("hex")}`;
    const now = this.clock();
    this.accessTokens.set(accessToken, {
      shop,
      expiresAt: expiring ? now + ACCESS_TOKEN_TTL_S * 1000 : null,
      online: false,
    });
    this.onInstalled(shop);
    if (!expiring) return { access_token: accessToken, scope: this.app.scopes };
    const refreshToken = `shprt_emu_${randomBytes(16).toString("hex")}`;
    this.refreshTokens.set(refreshToken, { shop, expiresAt: now + REFRESH_TOKEN_TTL_S * 1000 });
    return {
      access_token: accessToken,
      scope: this.app.scopes,
      expires_in: ACCESS_TOKEN_TTL_S,
      refresh_token: refreshToken,
      refresh_token_expires_in: REFRESH_TOKEN_TTL_S,
    };
  }
}
