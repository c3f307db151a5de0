/** Dates shown in the shop's own timezone, formatted on the server so hydration matches. */
export function formatShopTime(iso: string | null, timeZone: string | null | undefined, locale = "en"): string | null {
  if (!iso) return null;
  return new Intl.DateTimeFormat(locale, {
    dateStyle: "medium",
    timeStyle: "short",
    timeZone: timeZone ?? "UTC",
  }).format(new Date(iso));
}

export function formatCount(value: number, locale = "en"): string {
  return new Intl.NumberFormat(locale).format(value);
}

/** An order total as the shop shows it ("€1,234.50"); falls back to "1234.50 XYZ" for unknown codes. */
export function formatMoney(amount: string, currencyCode: string, locale = "en"): string {
  const value = Number(amount);
  if (!Number.isFinite(value)) return `${amount} ${currencyCode}`;
  try {
    return new Intl.NumberFormat(locale, { style: "currency", currency: currencyCode }).format(value);
  } catch {
    return `${amount} ${currencyCode}`;
  }
}
