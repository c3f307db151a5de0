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
