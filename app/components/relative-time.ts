// "3 minutes ago": how long ago something happened, for presence ("last seen on chat"). Formatted
// on the server with the time of the request, so the page and its hydration agree; the page
// reloads on live news, which keeps it fresh enough for minutes.

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ["year", 365 * DAY],
  ["month", 30 * DAY],
  ["day", DAY],
  ["hour", HOUR],
  ["minute", MINUTE],
];

const formats = new Map<string, Intl.RelativeTimeFormat>();

/** "just now", "3 minutes ago", "yesterday", "last month", "2 years ago". */
export function formatTimeAgo(when: Date | string, now: Date = new Date(), locale = "en"): string {
  const elapsed = now.getTime() - new Date(when).getTime();
  // Under a minute, or slightly ahead (a clock a few seconds off), is "just now".
  if (elapsed < MINUTE) return "just now";
  let format = formats.get(locale);
  if (!format) formats.set(locale, (format = new Intl.RelativeTimeFormat(locale, { numeric: "auto" })));
  for (const [unit, size] of UNITS) {
    if (elapsed >= size) return format.format(-Math.floor(elapsed / size), unit);
  }
  return "just now";
}
