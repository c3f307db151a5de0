import { z } from "zod";
import { storableString } from "~/lib/storable-text";
import { portalLocale, type PortalLocale } from "./portal-messages";

// When agents answer chat (decision 026): a weekly schedule and holidays in one IANA time zone.
// Outside them the widget shows "offline" and offers the contact form, whose auto-reply says when
// to expect an answer. Pure: every function takes `now`. No schedule, or one turned off: always open.
//
// Times are the zone's wall-clock times. An interval is turned into real instants per local date,
// so a day that loses or gains an hour (DST) opens and closes at the right moment: a wall time
// skipped by spring-forward is read as the same time after the jump (02:30 → 03:30), a wall time
// that happens twice in the fall is read as its first occurrence (like Temporal's "compatible").

/** Monday = 1 … Sunday = 7 (ISO weekday). */
export const WEEKDAYS = [1, 2, 3, 4, 5, 6, 7] as const;
export type Weekday = (typeof WEEKDAYS)[number];

const HHMM = /^([01]\d|2[0-3]):[0-5]\d$/;
/** Minutes since midnight of "HH:MM" ("24:00" = 1440, the end of the day). */
export const minutesOf = (time: string) => Number(time.slice(0, 2)) * 60 + Number(time.slice(3, 5));

export const MAX_INTERVALS_PER_DAY = 6;
export const MAX_HOLIDAYS = 100;

const isTime = (time: string) => HHMM.test(time) || time === "24:00";

const DAY_NAMES_EN = ["", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"];

export const OpeningIntervalSchema = z
  .object({
    day: z.number().int().min(1, "Choose a day of the week.").max(7, "Choose a day of the week."),
    opens: z.string().regex(HHMM, "Enter an opening time like 09:00."),
    closes: z.string().refine(isTime, "Enter a closing time like 17:30."),
  })
  // Only two well-formed times are compared (a bad one already has its own message).
  .refine(
    (interval) =>
      !isTime(interval.opens) || !isTime(interval.closes) || minutesOf(interval.closes) > minutesOf(interval.opens),
    {
      message: "The closing time must be after the opening time.",
      path: ["closes"],
    },
  );
export type OpeningInterval = z.infer<typeof OpeningIntervalSchema>;

/** The week: intervals of one day may not overlap (touching is fine: 09:00–12:00 and 12:00–17:00). */
export const WeeklyScheduleSchema = z.array(OpeningIntervalSchema).superRefine((intervals, ctx) => {
  for (const day of WEEKDAYS) {
    const ofDay = intervals
      .map((interval, index) => ({ interval, index }))
      .filter(({ interval }) => interval.day === day)
      .sort((a, b) => minutesOf(a.interval.opens) - minutesOf(b.interval.opens));
    if (ofDay.length > MAX_INTERVALS_PER_DAY) {
      ctx.addIssue({
        code: "custom",
        message: `${DAY_NAMES_EN[day]} has more than ${MAX_INTERVALS_PER_DAY} opening times.`,
        path: [ofDay[0]!.index],
      });
    }
    for (let i = 1; i < ofDay.length; i++) {
      const before = ofDay[i - 1]!.interval;
      const current = ofDay[i]!;
      if (minutesOf(current.interval.opens) < minutesOf(before.closes)) {
        ctx.addIssue({
          code: "custom",
          message: `${DAY_NAMES_EN[day]}: ${current.interval.opens}–${current.interval.closes} overlaps ${before.opens}–${before.closes}.`,
          path: [current.index, "opens"],
        });
      }
    }
  }
});

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const isRealDate = (date: string) => {
  if (!ISO_DATE.test(date)) return false;
  const parsed = new Date(`${date}T00:00:00Z`);
  return !Number.isNaN(parsed.getTime()) && parsed.toISOString().slice(0, 10) === date;
};

export const HolidaySchema = z.object({
  date: z.string().refine(isRealDate, "Enter a date like 2026-12-25."),
  name: storableString()
    .trim()
    .min(1, "Give the holiday a name, e.g. Christmas Day.")
    .max(100, "Keep the holiday's name under 100 characters."),
});
export type Holiday = z.infer<typeof HolidaySchema>;

export const HolidaysSchema = z
  .array(HolidaySchema)
  .max(MAX_HOLIDAYS, `Keep the list to ${MAX_HOLIDAYS} holidays: remove past ones.`)
  .superRefine((holidays, ctx) => {
    const seen = new Set<string>();
    holidays.forEach((holiday, index) => {
      if (seen.has(holiday.date)) {
        ctx.addIssue({ code: "custom", message: `${holiday.date} is listed twice.`, path: [index, "date"] });
      }
      seen.add(holiday.date);
    });
  });

/** True for a time zone this runtime knows (IANA names such as "Europe/Paris"). */
export function isTimeZone(zone: string): boolean {
  if (!zone || zone.length > 64) return false;
  try {
    new Intl.DateTimeFormat("en", { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

export const TimeZoneSchema = z.string().refine(isTimeZone, "Choose a time zone from the list.");

export const BusinessHoursSchema = z.object({
  enabled: z.boolean(),
  timezone: TimeZoneSchema,
  weekly: WeeklyScheduleSchema,
  holidays: HolidaysSchema,
});
export type BusinessHours = z.infer<typeof BusinessHoursSchema>;

/** A schedule that is not set or turned off: the widget is always online. */
export const isAlwaysOpen = (hours: BusinessHours | null | undefined): hours is null | undefined =>
  !hours || !hours.enabled;

// --- Wall clock ↔ instants ------------------------------------------------------------------

interface LocalDate {
  year: number;
  month: number;
  day: number;
}

const partsFormatters = new Map<string, Intl.DateTimeFormat>();
function wallClock(instant: number, zone: string) {
  let format = partsFormatters.get(zone);
  if (!format) {
    format = new Intl.DateTimeFormat("en-US", {
      timeZone: zone,
      hourCycle: "h23",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      second: "numeric",
    });
    partsFormatters.set(zone, format);
  }
  const parts: Record<string, number> = {};
  for (const part of format.formatToParts(new Date(instant))) {
    if (part.type !== "literal") parts[part.type] = Number(part.value);
  }
  return {
    year: parts.year!,
    month: parts.month!,
    day: parts.day!,
    hour: parts.hour!,
    minute: parts.minute!,
    second: parts.second!,
  };
}

/** The zone's offset from UTC at an instant, in ms. */
function offsetAt(instant: number, zone: string): number {
  const wall = wallClock(instant, zone);
  const asUtc = Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute, wall.second);
  return asUtc - (instant - (((instant % 1000) + 1000) % 1000));
}

/** The instant of a wall-clock time in a zone (see the DST rule at the top). */
export function zonedInstant(date: LocalDate, minutes: number, zone: string): Date {
  const wall = Date.UTC(date.year, date.month - 1, date.day) + minutes * 60_000;
  // The offsets a day before and after bracket any single transition near this time.
  const before = offsetAt(wall - 86_400_000, zone);
  const after = offsetAt(wall + 86_400_000, zone);
  const candidates = [...new Set([before, after])]
    .map((offset) => wall - offset)
    .filter((instant) => instant + offsetAt(instant, zone) === wall)
    .sort((a, b) => a - b);
  // Two: the repeated hour of a fall-back, take the first. None: the hour skipped by a
  // spring-forward, read with the offset before the jump (lands as far after it).
  return new Date(candidates[0] ?? wall - before);
}

const localDateOf = (instant: Date, zone: string): LocalDate => {
  const wall = wallClock(instant.getTime(), zone);
  return { year: wall.year, month: wall.month, day: wall.day };
};

const addDays = (date: LocalDate, days: number): LocalDate => {
  const moved = new Date(Date.UTC(date.year, date.month - 1, date.day + days));
  return { year: moved.getUTCFullYear(), month: moved.getUTCMonth() + 1, day: moved.getUTCDate() };
};

const isoDate = (date: LocalDate) =>
  `${String(date.year).padStart(4, "0")}-${String(date.month).padStart(2, "0")}-${String(date.day).padStart(2, "0")}`;

const weekdayOf = (date: LocalDate): Weekday => {
  const sunday0 = new Date(Date.UTC(date.year, date.month - 1, date.day)).getUTCDay();
  return (sunday0 === 0 ? 7 : sunday0) as Weekday;
};

/** The real opening periods of one local date (none on a holiday), in order. */
function periodsOn(hours: BusinessHours, date: LocalDate): { opens: Date; closes: Date }[] {
  const iso = isoDate(date);
  if (hours.holidays.some((holiday) => holiday.date === iso)) return [];
  const day = weekdayOf(date);
  return (
    hours.weekly
      .filter((interval) => interval.day === day)
      .map((interval) => ({
        opens: zonedInstant(date, minutesOf(interval.opens), hours.timezone),
        closes: zonedInstant(date, minutesOf(interval.closes), hours.timezone),
      }))
      // An interval wholly inside a skipped hour (02:00–03:00 on a spring-forward day) never happens.
      .filter((period) => period.closes > period.opens)
      .sort((a, b) => a.opens.getTime() - b.opens.getTime())
  );
}

/** Whether agents are in at `now`. Always true when the schedule is not set or turned off. */
export function isOpen(hours: BusinessHours | null | undefined, now: Date): boolean {
  if (isAlwaysOpen(hours)) return true;
  const today = localDateOf(now, hours.timezone);
  // Yesterday too: its "24:00" closing is today's midnight (checked as instants, so always exact).
  for (const date of [addDays(today, -1), today]) {
    if (periodsOn(hours, date).some((period) => period.opens <= now && now < period.closes)) return true;
  }
  return false;
}

/** How far ahead nextOpening looks: a year of holidays cannot hide every opening. */
const LOOKAHEAD_DAYS = 400;

/**
 * The next moment agents are in: `now` itself when open (or always open), else the start of the
 * next opening period, holidays skipped. Null when an enabled schedule never opens.
 */
export function nextOpening(hours: BusinessHours | null | undefined, now: Date): Date | null {
  if (isOpen(hours, now)) return now;
  const schedule = hours as BusinessHours;
  if (schedule.weekly.length === 0) return null;
  const today = localDateOf(now, schedule.timezone);
  for (let offset = 0; offset <= LOOKAHEAD_DAYS; offset++) {
    const next = periodsOn(schedule, addDays(today, offset)).find((period) => period.opens > now);
    if (next) return next.opens;
  }
  return null;
}

// --- Words ------------------------------------------------------------------------------------

const INTL_LOCALE: Record<PortalLocale, string> = { en: "en-GB", fr: "fr-FR", de: "de-DE", es: "es-ES" };

const PHRASES: Record<PortalLocale, { at: string; on: (date: string) => string; soon: string; unscheduled: string }> = {
  en: { at: "at", on: (date) => `on ${date}`, soon: "shortly", unscheduled: "as soon as we can" },
  fr: { at: "à", on: (date) => date, soon: "très bientôt", unscheduled: "dès que possible" },
  de: { at: "um", on: (date) => `am ${date}`, soon: "in Kürze", unscheduled: "so bald wie möglich" },
  es: { at: "a las", on: (date) => `el ${date}`, soon: "en breve", unscheduled: "lo antes posible" },
};

/**
 * When a shopper can expect an answer, in words: "today at 9:00", "tomorrow at 9:00", "on Monday
 * 5 January at 9:00" (fr/de/es alike), in the schedule's zone. `opening` is nextOpening's answer;
 * `now` or earlier (open now) reads "shortly", null (never opens) "as soon as we can".
 */
export function expectedAnswerWords(
  opening: Date | null,
  now: Date,
  timeZone: string,
  locale: string | null | undefined,
): string {
  const lang = portalLocale(locale);
  const phrases = PHRASES[lang];
  // No opening at all (an enabled schedule that never opens): no time to promise, and not "shortly".
  if (!opening) return phrases.unscheduled;
  if (opening.getTime() <= now.getTime()) return phrases.soon;
  const zone = isTimeZone(timeZone) ? timeZone : "UTC";
  const wall = wallClock(opening.getTime(), zone);
  const time = `${wall.hour}:${String(wall.minute).padStart(2, "0")}`;
  const openingDate = localDateOf(opening, zone);
  const today = localDateOf(now, zone);
  const days = Math.round(
    (Date.UTC(openingDate.year, openingDate.month - 1, openingDate.day) -
      Date.UTC(today.year, today.month - 1, today.day)) /
      86_400_000,
  );
  if (days === 0 || days === 1) {
    const relative = new Intl.RelativeTimeFormat(INTL_LOCALE[lang], { numeric: "auto" }).format(days, "day");
    return `${relative} ${phrases.at} ${time}`;
  }
  const date = new Intl.DateTimeFormat(INTL_LOCALE[lang], {
    timeZone: zone,
    weekday: "long",
    day: "numeric",
    month: "long",
    ...(openingDate.year !== today.year ? { year: "numeric" } : {}),
  }).format(opening);
  return `${phrases.on(date)} ${phrases.at} ${time}`;
}

const AVAILABILITY: Record<PortalLocale, { online: string; offline: (when: string) => string; closed: string }> = {
  en: {
    online: "We're online.",
    offline: (when) => `We're offline. We'll answer ${when}.`,
    closed: "We're offline. Leave us a message and we'll answer by email.",
  },
  fr: {
    online: "Nous sommes en ligne.",
    offline: (when) => `Nous sommes hors ligne. Nous vous répondrons ${when}.`,
    closed: "Nous sommes hors ligne. Laissez-nous un message, nous vous répondrons par e-mail.",
  },
  de: {
    online: "Wir sind online.",
    offline: (when) => `Wir sind offline. Wir antworten ${when}.`,
    closed: "Wir sind offline. Hinterlassen Sie uns eine Nachricht, wir antworten per E-Mail.",
  },
  es: {
    online: "Estamos en línea.",
    offline: (when) => `Estamos desconectados. Te responderemos ${when}.`,
    closed: "Estamos desconectados. Déjanos un mensaje y te responderemos por correo.",
  },
};

export interface Availability {
  online: boolean;
  /** ISO instant of the next opening when offline; null when online or never opening. */
  nextOpenAt: string | null;
  timezone: string;
  /** One line for the widget, in the shopper's language. */
  message: string;
}

/** What the widget shows: online or not, when it opens next, in the shopper's words. */
export function availability(
  hours: BusinessHours | null | undefined,
  now: Date,
  locale: string | null | undefined,
  fallbackTimeZone = "UTC",
): Availability {
  const lang = portalLocale(locale);
  const timezone = hours?.timezone ?? fallbackTimeZone;
  if (isOpen(hours, now)) return { online: true, nextOpenAt: null, timezone, message: AVAILABILITY[lang].online };
  const opening = nextOpening(hours, now);
  return {
    online: false,
    nextOpenAt: opening?.toISOString() ?? null,
    timezone,
    message: opening
      ? AVAILABILITY[lang].offline(expectedAnswerWords(opening, now, timezone, lang))
      : AVAILABILITY[lang].closed,
  };
}
