// Building an Intl formatter costs ~0.1 ms (locale data, zone rules): a 50-message thread page
// formats ~100 times, which took longer than reading the thread. Formatters are immutable, so
// one per locale and options is reused; the cache is cleared if it ever grows past a bound.
const FORMATTER_CACHE_LIMIT = 500;
const dateTimeFormats = new Map<string, Intl.DateTimeFormat>();
const numberFormats = new Map<string, Intl.NumberFormat>();

function cached<T>(cache: Map<string, T>, key: string, create: () => T): T {
  let value = cache.get(key);
  if (value === undefined) {
    if (cache.size >= FORMATTER_CACHE_LIMIT) cache.clear();
    value = create();
    cache.set(key, value);
  }
  return value;
}

function dateTimeFormat(locale: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  return cached(
    dateTimeFormats,
    `${locale}|${JSON.stringify(options)}`,
    () => new Intl.DateTimeFormat(locale, options),
  );
}

function numberFormat(locale: string, options: Intl.NumberFormatOptions = {}): Intl.NumberFormat {
  return cached(numberFormats, `${locale}|${JSON.stringify(options)}`, () => new Intl.NumberFormat(locale, options));
}

/** Dates shown in the shop's own timezone, formatted on the server so hydration matches. */
export function formatShopTime(iso: string | null, timeZone: string | null | undefined, locale = "en"): string | null {
  if (!iso) return null;
  const date = new Date(iso);
  const zone = usableTimeZone(timeZone);
  const time = dateTimeFormat(locale, { dateStyle: "medium", timeStyle: "short", timeZone: zone }).format(date);
  // An agent in Lisbon reading a Berlin store's times must know whose clock they are.
  return `${time} ${timeZoneLabel(zone, date)}`;
}

/** The zone when the runtime knows it, else UTC (a stored zone Intl does not know must not break a page). */
function usableTimeZone(timeZone: string | null | undefined): string {
  if (!timeZone) return "UTC";
  try {
    dateTimeFormat("en", { timeZone });
    return timeZone;
  } catch {
    return "UTC";
  }
}

const GMT_OFFSET = /^GMT[+-]/;

/**
 * A zone's short name at `date`, as people write it: "CET", "EST", "UTC"; "GMT+9" where no
 * abbreviation is in common use. US English names American zones only, British English European
 * ones: the first that is not a bare offset wins.
 */
export function timeZoneLabel(timeZone: string | null | undefined, date: Date = new Date()): string {
  const zone = usableTimeZone(timeZone);
  const nameIn = (locale: string) =>
    dateTimeFormat(locale, { timeZone: zone, timeZoneName: "short" })
      .formatToParts(date)
      .find((part) => part.type === "timeZoneName")?.value ?? zone;
  const american = nameIn("en-US");
  if (!GMT_OFFSET.test(american)) return american;
  const british = nameIn("en-GB");
  return GMT_OFFSET.test(british) ? american : british;
}

export function formatCount(value: number, locale = "en"): string {
  return numberFormat(locale).format(value);
}

/** An order total as the shop shows it ("€1,234.50"); falls back to "1234.50 XYZ" for unknown codes. */
export function formatMoney(amount: string, currencyCode: string, locale = "en"): string {
  const value = Number(amount);
  if (!Number.isFinite(value)) return `${amount} ${currencyCode}`;
  try {
    return numberFormat(locale, { style: "currency", currency: currencyCode }).format(value);
  } catch {
    return `${amount} ${currencyCode}`;
  }
}

/** Country calling codes of one digit (NANP, Russia/Kazakhstan) and of two; every other is three. */
const ONE_DIGIT_CODES = new Set(["1", "7"]);
const TWO_DIGIT_CODES = new Set(
  (
    "20 27 30 31 32 33 34 36 39 40 41 43 44 45 46 47 48 49 51 52 53 54 55 56 57 58 60 61 62 63 64 65 66 " +
    "81 82 84 86 90 91 92 93 94 95 98"
  ).split(" "),
);

/** Digits in groups of three and four, the fours last: "612 345 678", "151 1234 5678", "8123 4567". */
function groupDigits(digits: string): string {
  if (digits.length <= 5) return digits;
  const fours = [0, 1, 2][digits.length % 3]!;
  const groups: string[] = [];
  let at = 0;
  for (let three = (digits.length - 4 * fours) / 3; three > 0; three--, at += 3) groups.push(digits.slice(at, at + 3));
  for (; at < digits.length; at += 4) groups.push(digits.slice(at, at + 4));
  return groups.join(" ");
}

/**
 * A phone number as people read it. Stored numbers are E.164 ("+15552279104") or bare digits:
 * North American numbers as "+1 555-227-9104", others as the country code and groups of digits
 * ("+33 612 345 678"). Without per-country rules (libphonenumber) the groups are a reading aid, not
 * the national format. Anything that is not just a number (an extension, letters) is shown as given.
 */
export function formatPhone(phone: string | null | undefined): string | null {
  const raw = phone?.trim();
  if (!raw) return null;
  if (!/^\+?[\d\s().-]+$/.test(raw)) return raw;
  const digits = raw.replace(/\D/g, "");
  if (digits.length < 4) return raw;
  if (!raw.startsWith("+")) return groupDigits(digits);
  if (digits.length === 11 && digits.startsWith("1")) {
    return `+1 ${digits.slice(1, 4)}-${digits.slice(4, 7)}-${digits.slice(7)}`;
  }
  const codeLength = ONE_DIGIT_CODES.has(digits[0]!) ? 1 : TWO_DIGIT_CODES.has(digits.slice(0, 2)) ? 2 : 3;
  if (digits.length <= codeLength + 4) return `+${digits}`;
  return `+${digits.slice(0, codeLength)} ${groupDigits(digits.slice(codeLength))}`;
}

/** A calendar date in the shop's zone ("Nov 28, 2026"): for columns where the hour does not matter. */
export function formatShopDate(iso: string | null, timeZone: string | null | undefined, locale = "en"): string | null {
  if (!iso) return null;
  return dateTimeFormat(locale, { dateStyle: "medium", timeZone: usableTimeZone(timeZone) }).format(new Date(iso));
}

/**
 * Money in several currencies (a customer of a workspace's EU and US stores), never added together:
 * "€120.00 + $45.00"; past two, how many more ("€120.00 + $45.00 + 1 more"). Empty for none.
 */
export function formatAmounts(amounts: readonly { amount: string; currencyCode: string }[], locale = "en"): string {
  const shown = amounts.slice(0, 2).map((money) => formatMoney(money.amount, money.currencyCode, locale));
  if (amounts.length > 2) shown.push(`${amounts.length - 2} more`);
  return shown.join(" + ");
}
