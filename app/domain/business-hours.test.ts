import { describe, expect, it } from "vitest";
import {
  availability,
  BusinessHoursSchema,
  expectedAnswerWords,
  isOpen,
  nextOpening,
  zonedInstant,
  type BusinessHours,
  type OpeningInterval,
} from "./business-hours";

const weekdays = (opens: string, closes: string): OpeningInterval[] =>
  [1, 2, 3, 4, 5].map((day) => ({ day, opens, closes }));

const schedule = (over: Partial<BusinessHours> = {}): BusinessHours => ({
  enabled: true,
  timezone: "Europe/Paris",
  weekly: weekdays("09:00", "17:00"),
  holidays: [],
  ...over,
});

const at = (iso: string) => new Date(iso);

describe("BusinessHoursSchema", () => {
  const parse = (over: Record<string, unknown>) => BusinessHoursSchema.safeParse({ ...schedule(), ...over });
  const messages = (over: Record<string, unknown>) => {
    const result = parse(over);
    return result.success ? [] : result.error.issues.map((issue) => issue.message);
  };

  it("accepts a week with several intervals a day, touching ones and a 24:00 close", () => {
    const weekly = [
      { day: 1, opens: "09:00", closes: "12:00" },
      { day: 1, opens: "12:00", closes: "17:00" },
      { day: 5, opens: "20:00", closes: "24:00" },
    ];
    expect(parse({ weekly }).success).toBe(true);
  });

  it("refuses a close before or at the opening, a bad time and a 24:30 close", () => {
    expect(messages({ weekly: [{ day: 1, opens: "17:00", closes: "09:00" }] })).toEqual([
      "The closing time must be after the opening time.",
    ]);
    expect(messages({ weekly: [{ day: 1, opens: "09:00", closes: "09:00" }] })).toHaveLength(1);
    expect(messages({ weekly: [{ day: 1, opens: "9:00", closes: "17:00" }] })).toEqual([
      "Enter an opening time like 09:00.",
    ]);
    expect(messages({ weekly: [{ day: 1, opens: "09:00", closes: "24:30" }] })).toEqual([
      "Enter a closing time like 17:30.",
    ]);
    expect(parse({ weekly: [{ day: 8, opens: "09:00", closes: "17:00" }] }).success).toBe(false);
  });

  it("refuses overlapping intervals on the same day, naming them", () => {
    const weekly = [
      { day: 2, opens: "11:00", closes: "14:00" },
      { day: 2, opens: "09:00", closes: "12:00" },
      { day: 3, opens: "11:00", closes: "14:00" },
    ];
    expect(messages({ weekly })).toEqual(["Tuesday: 11:00–14:00 overlaps 09:00–12:00."]);
  });

  it("validates the time zone with Intl and holidays' dates and names", () => {
    expect(messages({ timezone: "Mars/Olympus" })).toEqual(["Choose a time zone from the list."]);
    expect(parse({ timezone: "America/New_York" }).success).toBe(true);
    expect(messages({ holidays: [{ date: "2026-02-30", name: "Nope" }] })).toEqual(["Enter a date like 2026-12-25."]);
    expect(messages({ holidays: [{ date: "2026-12-25", name: "  " }] })).toEqual([
      "Give the holiday a name, e.g. Christmas Day.",
    ]);
    expect(parse({ holidays: [{ date: "2026-12-25", name: "Christmas\u0000" }] }).success).toBe(false);
    expect(
      messages({
        holidays: [
          { date: "2026-12-25", name: "Christmas" },
          { date: "2026-12-25", name: "Again" },
        ],
      }),
    ).toEqual(["2026-12-25 is listed twice."]);
  });
});

describe("isOpen", () => {
  it("is always open with no schedule or one turned off", () => {
    expect(isOpen(null, at("2026-01-04T03:00:00Z"))).toBe(true);
    expect(isOpen(schedule({ enabled: false }), at("2026-01-04T03:00:00Z"))).toBe(true);
  });

  it("opens at the opening minute and closes at the closing minute, in the schedule's zone", () => {
    // Monday 5 January 2026, Paris is UTC+1.
    expect(isOpen(schedule(), at("2026-01-05T07:59:59Z"))).toBe(false);
    expect(isOpen(schedule(), at("2026-01-05T08:00:00Z"))).toBe(true);
    expect(isOpen(schedule(), at("2026-01-05T15:59:59Z"))).toBe(true);
    expect(isOpen(schedule(), at("2026-01-05T16:00:00Z"))).toBe(false);
    expect(isOpen(schedule(), at("2026-01-04T10:00:00Z"))).toBe(false); // Sunday
  });

  it("is closed all day on a holiday", () => {
    const hours = schedule({ holidays: [{ date: "2026-01-05", name: "Staff day" }] });
    expect(isOpen(hours, at("2026-01-05T10:00:00Z"))).toBe(false);
    expect(isOpen(hours, at("2026-01-06T10:00:00Z"))).toBe(true);
  });

  it("a 24:00 close stays open until midnight and not after", () => {
    const hours = schedule({ weekly: [{ day: 1, opens: "20:00", closes: "24:00" }] });
    expect(isOpen(hours, at("2026-01-05T22:59:59Z"))).toBe(true); // Monday 23:59:59 Paris
    expect(isOpen(hours, at("2026-01-05T23:00:00Z"))).toBe(false); // Tuesday 00:00
  });
});

describe("nextOpening", () => {
  it("is now when open, and null for an enabled schedule with no hours", () => {
    const now = at("2026-01-05T10:00:00Z");
    expect(nextOpening(schedule(), now)).toEqual(now);
    expect(nextOpening(null, now)).toEqual(now);
    expect(nextOpening(schedule({ weekly: [] }), now)).toBeNull();
  });

  it("is the next interval the same day, the next day, or after the weekend", () => {
    const split = schedule({
      weekly: [
        { day: 1, opens: "09:00", closes: "12:00" },
        { day: 1, opens: "14:00", closes: "18:00" },
      ],
    });
    expect(nextOpening(split, at("2026-01-05T12:30:00Z"))).toEqual(at("2026-01-05T13:00:00Z"));
    expect(nextOpening(schedule(), at("2026-01-05T17:00:00Z"))).toEqual(at("2026-01-06T08:00:00Z"));
    // Friday 9 January evening → Monday 12 January 09:00 Paris.
    expect(nextOpening(schedule(), at("2026-01-09T18:00:00Z"))).toEqual(at("2026-01-12T08:00:00Z"));
  });

  it("skips holidays", () => {
    const hours = schedule({
      holidays: [
        { date: "2026-12-25", name: "Christmas Day" },
        { date: "2026-12-28", name: "Closed" },
      ],
    });
    // Thursday 24 December evening: Friday 25 and Monday 28 are holidays → Tuesday 29 December.
    expect(nextOpening(hours, at("2026-12-24T18:00:00Z"))).toEqual(at("2026-12-29T08:00:00Z"));
  });

  describe("across DST transitions", () => {
    const sundays = (zone: string, opens: string, closes: string) =>
      schedule({ timezone: zone, weekly: [{ day: 7, opens, closes }] });

    it("Europe/Paris spring-forward (29 March 2026): opens at 10:00 summer time", () => {
      const hours = sundays("Europe/Paris", "10:00", "12:00");
      expect(nextOpening(hours, at("2026-03-28T19:00:00Z"))).toEqual(at("2026-03-29T08:00:00Z"));
      expect(isOpen(hours, at("2026-03-29T08:30:00Z"))).toBe(true);
      expect(isOpen(hours, at("2026-03-29T10:00:00Z"))).toBe(false);
      // 02:30 does not exist that night: the interval opens at 03:30 summer time, an hour later.
      expect(nextOpening(sundays("Europe/Paris", "02:30", "06:00"), at("2026-03-28T19:00:00Z"))).toEqual(
        at("2026-03-29T01:30:00Z"),
      );
      // 02:00–03:00 never happens that day: next week's instead.
      expect(nextOpening(sundays("Europe/Paris", "02:00", "03:00"), at("2026-03-28T19:00:00Z"))).toEqual(
        at("2026-04-05T00:00:00Z"),
      );
    });

    it("Europe/Paris fall-back (25 October 2026): opens at 10:00 winter time, a long night is open all its hours", () => {
      expect(nextOpening(sundays("Europe/Paris", "10:00", "12:00"), at("2026-10-24T19:00:00Z"))).toEqual(
        at("2026-10-25T09:00:00Z"),
      );
      // 00:00–04:00 lasts five hours that night (22:00Z to 03:00Z).
      const night = sundays("Europe/Paris", "00:00", "04:00");
      expect(isOpen(night, at("2026-10-24T22:00:00Z"))).toBe(true);
      expect(isOpen(night, at("2026-10-25T02:30:00Z"))).toBe(true);
      expect(isOpen(night, at("2026-10-25T03:00:00Z"))).toBe(false);
    });

    it("America/New_York spring-forward (8 March 2026) and fall-back (1 November 2026)", () => {
      const hours = schedule({
        timezone: "America/New_York",
        weekly: [6, 7].map((day) => ({ day, opens: "09:00", closes: "17:00" })),
      });
      // Saturday 7 March 09:00 EST, Sunday 8 March 09:00 EDT.
      expect(nextOpening(hours, at("2026-03-07T05:00:00Z"))).toEqual(at("2026-03-07T14:00:00Z"));
      expect(nextOpening(hours, at("2026-03-07T23:00:00Z"))).toEqual(at("2026-03-08T13:00:00Z"));
      // Saturday 31 October 09:00 EDT, Sunday 1 November 09:00 EST.
      expect(nextOpening(hours, at("2026-10-31T04:00:00Z"))).toEqual(at("2026-10-31T13:00:00Z"));
      expect(nextOpening(hours, at("2026-10-31T22:00:00Z"))).toEqual(at("2026-11-01T14:00:00Z"));
      // 01:30 happens twice on 1 November: the first one (EDT) opens.
      expect(zonedInstant({ year: 2026, month: 11, day: 1 }, 90, "America/New_York")).toEqual(
        at("2026-11-01T05:30:00Z"),
      );
    });
  });
});

describe("expectedAnswerWords", () => {
  const zone = "Europe/Paris";
  // Sunday 4 January 2026, 10:00 Paris.
  const now = at("2026-01-04T09:00:00Z");

  it("says today, tomorrow or the weekday and date, in en/fr/de/es", () => {
    const today = at("2026-01-04T16:00:00Z");
    const tomorrow = at("2026-01-05T08:00:00Z");
    const later = at("2026-01-06T08:30:00Z");
    expect(expectedAnswerWords(today, now, zone, "en")).toBe("today at 17:00");
    expect(expectedAnswerWords(tomorrow, now, zone, "en")).toBe("tomorrow at 9:00");
    expect(expectedAnswerWords(later, now, zone, "en")).toBe("on Tuesday 6 January at 9:30");
    expect(expectedAnswerWords(tomorrow, now, zone, "fr")).toBe("demain à 9:00");
    expect(expectedAnswerWords(later, now, zone, "fr-CA")).toBe("mardi 6 janvier à 9:30");
    expect(expectedAnswerWords(today, now, zone, "de")).toBe("heute um 17:00");
    expect(expectedAnswerWords(later, now, zone, "de")).toBe("am Dienstag, 6. Januar um 9:30");
    expect(expectedAnswerWords(tomorrow, now, zone, "es")).toBe("mañana a las 9:00");
    expect(expectedAnswerWords(later, now, zone, "es")).toBe("el martes, 6 de enero a las 9:30");
    expect(expectedAnswerWords(tomorrow, now, zone, "it")).toBe("tomorrow at 9:00");
  });

  it("reads the day in the schedule's zone, not UTC", () => {
    // 23:30 UTC Sunday is already Monday 00:30 in Paris: Monday 9:00 is "today" there.
    expect(expectedAnswerWords(at("2026-01-05T08:00:00Z"), at("2026-01-04T23:30:00Z"), zone, "en")).toBe(
      "today at 9:00",
    );
  });

  it("adds the year for an opening next year, and says shortly when open now", () => {
    expect(expectedAnswerWords(at("2027-01-04T08:00:00Z"), at("2026-12-24T18:00:00Z"), zone, "en")).toBe(
      "on Monday, 4 January 2027 at 9:00",
    );
    expect(expectedAnswerWords(now, now, zone, "en")).toBe("shortly");
  });

  it("promises no time when an enabled schedule never opens (no opening hours left, all holidays)", () => {
    // nextOpening answers null only then: "shortly" would promise an answer nobody is there to give.
    expect(expectedAnswerWords(null, now, zone, "en")).toBe("as soon as we can");
    expect(expectedAnswerWords(null, now, zone, "fr")).toBe("dès que possible");
    expect(expectedAnswerWords(null, now, zone, "de")).toBe("so bald wie möglich");
    expect(expectedAnswerWords(null, now, zone, "es")).toBe("lo antes posible");
  });
});

describe("availability", () => {
  it("is online with no schedule", () => {
    expect(availability(null, at("2026-01-04T09:00:00Z"), "en", "America/New_York")).toEqual({
      online: true,
      nextOpenAt: null,
      timezone: "America/New_York",
      message: "We're online.",
    });
  });

  it("is offline with the next opening and a sentence in the shopper's language", () => {
    expect(availability(schedule(), at("2026-01-04T09:00:00Z"), "fr", "UTC")).toEqual({
      online: false,
      nextOpenAt: "2026-01-05T08:00:00.000Z",
      timezone: "Europe/Paris",
      message: "Nous sommes hors ligne. Nous vous répondrons demain à 9:00.",
    });
    expect(availability(schedule({ weekly: [] }), at("2026-01-04T09:00:00Z"), "en").nextOpenAt).toBeNull();
  });
});
