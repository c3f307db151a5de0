import type { TrackingInfo } from "./order-snapshot";

/**
 * Where a shopper can follow a parcel. Shopify's own tracking URL wins; otherwise a known carrier's
 * public page is built from the company and number; otherwise there is no link. Carrier names
 * arrive as merchants type them ("fedex", "Fed Ex", "UPS®"), so they are matched loosely and shown
 * in one canonical spelling.
 */

export interface Carrier {
  id: string;
  name: string;
  trackingUrl: (trackingNumber: string) => string;
}

export interface TrackingLink {
  /** Canonical carrier name, or the merchant's own text for a carrier we do not know. */
  carrier: string | null;
  number: string | null;
  url: string | null;
}

const defineCarrier = (id: string, name: string, template: string, aliases: string[] = []) => ({
  carrier: { id, name, trackingUrl: (n: string) => template.replace("{number}", encodeURIComponent(n)) },
  keys: [name, ...aliases].map(matchKey),
});

const CARRIERS = [
  defineCarrier("ups", "UPS", "https://www.ups.com/track?tracknum={number}", [
    "United Parcel Service",
    "UPS Mail Innovations",
  ]),
  defineCarrier("usps", "USPS", "https://tools.usps.com/go/TrackConfirmAction?tLabels={number}", [
    "United States Postal Service",
    "US Postal Service",
  ]),
  defineCarrier("fedex", "FedEx", "https://www.fedex.com/fedextrack/?trknbr={number}", [
    "Federal Express",
    "FedEx Ground",
    "FedEx Express",
    "FedEx SmartPost",
  ]),
  defineCarrier("dhl", "DHL", "https://www.dhl.com/global-en/home/tracking.html?tracking-id={number}&submit=1"),
  defineCarrier(
    "dhl_express",
    "DHL Express",
    "https://www.dhl.com/global-en/home/tracking/tracking-express.html?submit=1&tracking-id={number}",
  ),
  defineCarrier("dhl_ecommerce", "DHL eCommerce", "https://webtrack.dhlecs.com/orders?trackingNumber={number}", [
    "DHL eCommerce Solutions",
    "DHL Global Mail",
    "DHL eCommerce Asia",
  ]),
  defineCarrier(
    "canada_post",
    "Canada Post",
    "https://www.canadapost-postescanada.ca/track-reperage/en#/search?searchFor={number}",
    ["Postes Canada", "Canada Post / Postes Canada"],
  ),
  defineCarrier("royal_mail", "Royal Mail", "https://www.royalmail.com/track-your-item#/tracking-results/{number}"),
  defineCarrier("la_poste", "La Poste", "https://www.laposte.fr/outils/suivre-vos-envois?code={number}", [
    "LaPoste",
    "La Poste Colissimo",
  ]),
  defineCarrier("colissimo", "Colissimo", "https://www.laposte.fr/outils/suivre-vos-envois?code={number}"),
  defineCarrier("dpd", "DPD", "https://tracking.dpd.de/status/en_US/parcel/{number}", ["DPD Germany", "DPD Group"]),
  defineCarrier("dpd_uk", "DPD UK", "https://track.dpd.co.uk/parcels/{number}", ["DPD Local"]),
  defineCarrier("gls", "GLS", "https://gls-group.com/GROUP/en/parcel-tracking?match={number}", [
    "General Logistics Systems",
  ]),
  defineCarrier("postnl", "PostNL", "https://postnl.nl/tracktrace/?B={number}", [
    "PostNL International",
    "PostNL Domestic",
    "PostNL International Mail",
  ]),
  defineCarrier("australia_post", "Australia Post", "https://auspost.com.au/mypost/track/details/{number}", [
    "AusPost",
  ]),
];

/** "Fed-Ex", "fedex ", "FedEx®" → "fedex": merchants' spellings differ only in case, spaces and marks. */
function matchKey(name: string): string {
  return name
    .normalize("NFKD")
    .toLowerCase()
    .replace(/[^a-z0-9]/g, "");
}

const CARRIER_BY_KEY = new Map(CARRIERS.flatMap(({ carrier, keys }) => keys.map((key) => [key, carrier] as const)));
const CARRIER_BY_ID = new Map(CARRIERS.map(({ carrier }) => [carrier.id, carrier] as const));

export function identifyCarrier(company: string | null | undefined): Carrier | null {
  if (!company) return null;
  return CARRIER_BY_KEY.get(matchKey(company)) ?? null;
}

/** The canonical name of a known carrier, the merchant's trimmed text otherwise, null when blank. */
export function carrierDisplayName(company: string | null | undefined): string | null {
  const trimmed = company?.trim();
  if (!trimmed) return null;
  return identifyCarrier(trimmed)?.name ?? trimmed;
}

/** Spaces are how people copy tracking numbers from labels, never part of them. */
export function normaliseTrackingNumber(number: string | null | undefined): string | null {
  const compact = number?.replace(/\s+/g, "") ?? "";
  return compact === "" ? null : compact;
}

export function trackingUrl(tracking: TrackingInfo): string | null {
  const given = safeWebUrl(tracking.url);
  if (given) return given;
  const number = normaliseTrackingNumber(tracking.number);
  if (!number || !/^[A-Za-z0-9-]{4,40}$/.test(number)) return null;
  const known = tracking.company?.trim() ? identifyCarrier(tracking.company) : carrierFromNumber(number);
  return known?.trackingUrl(number) ?? null;
}

export function describeTracking(tracking: TrackingInfo): TrackingLink {
  const number = normaliseTrackingNumber(tracking.number);
  const carrier = carrierDisplayName(tracking.company) ?? (number ? (carrierFromNumber(number)?.name ?? null) : null);
  return { carrier, number, url: trackingUrl(tracking) };
}

/**
 * The tracking URL is merchant- or app-supplied text that ends up in an href: only http(s) may pass
 * (a `javascript:` URL would run in the storefront). "www.ups.com/…" typed without a scheme is common
 * enough to repair.
 */
function safeWebUrl(url: string | null | undefined): string | null {
  const trimmed = url?.trim();
  if (!trimmed) return null;
  const withScheme = /^[a-z0-9-]+(\.[a-z0-9-]+)+(\/|\?|$)/i.test(trimmed) ? `https://${trimmed}` : trimmed;
  try {
    const parsed = new URL(withScheme);
    return parsed.protocol === "https:" || parsed.protocol === "http:" ? parsed.href : null;
  } catch {
    return null;
  }
}

/**
 * Only formats that cannot be mistaken: UPS's "1Z" numbers and UPU S10 postal numbers
 * (AB123456789GB) whose check digit is right, sent to the origin country's post.
 */
function carrierFromNumber(number: string): Carrier | null {
  const upper = number.toUpperCase();
  if (/^1Z[0-9A-Z]{16}$/.test(upper)) return CARRIER_BY_ID.get("ups") ?? null;
  const s10 = /^[A-Z]{2}(\d{8})(\d)([A-Z]{2})$/.exec(upper);
  if (!s10 || s10[3] === undefined || !hasValidS10CheckDigit(s10[1] ?? "", Number(s10[2]))) return null;
  const postId = S10_POSTS[s10[3]];
  return postId ? (CARRIER_BY_ID.get(postId) ?? null) : null;
}

const S10_POSTS: Partial<Record<string, string>> = {
  US: "usps",
  CA: "canada_post",
  GB: "royal_mail",
  FR: "la_poste",
  NL: "postnl",
  AU: "australia_post",
};

function hasValidS10CheckDigit(serial: string, checkDigit: number): boolean {
  const weights = [8, 6, 4, 2, 3, 5, 9, 7];
  const sum = [...serial].reduce((total, digit, index) => total + Number(digit) * (weights[index] ?? 0), 0);
  const remainder = 11 - (sum % 11);
  const expected = remainder === 10 ? 0 : remainder === 11 ? 5 : remainder;
  return expected === checkDigit;
}
