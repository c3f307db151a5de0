import { describe, expect, it } from "vitest";
import { fieldErrorsOf } from "~/lib/form-errors";
import { UNSTORABLE_TEXT_MESSAGE } from "~/lib/storable-text";
import { SHOPPER_ORDER_STATUSES } from "./order-status";
import {
  BUILT_IN_ISSUE_OPTIONS,
  ISSUE_STATE_OF_STATUS,
  ISSUE_STATES,
  IssueOptionsSchema,
  issueOptionsFor,
  issueOptionsToStore,
  issueStateStatuses,
  PortalSettingsFormSchema,
} from "./portal-settings";

/** The form as the page sends it for the defaults. */
const valid: Record<string, string> = {
  intent: "save",
  shopId: "3f1c2a4e-0000-4000-8000-000000000001",
  trackEnabled: "true",
  returnEnabled: "true",
  returnWindowFrom: "delivered",
  returnWindowDays: "30",
  loopReturnsUrl: "",
  cancelEnabled: "true",
  cancelStatuses: "unfulfilled,processing_fulfillment",
  reportIssueEnabled: "true",
  issueOptions: "",
  signInEmailCode: "true",
  signInSmsCode: "false",
  signInOrderNumber: "true",
  smsAccountSid: "",
  smsFrom: "",
  smsAuthToken: "",
  smsApiBaseUrl: "",
};

const parse = (changes: Record<string, string | undefined>) =>
  PortalSettingsFormSchema.safeParse({ ...valid, ...changes });
const errorsOf = (changes: Record<string, string | undefined>) => {
  const parsed = parse(changes);
  return parsed.success ? {} : fieldErrorsOf(parsed.error);
};

describe("portal settings form", () => {
  it("reads the defaults as the model stores them", () => {
    expect(PortalSettingsFormSchema.parse(valid)).toEqual({
      intent: "save",
      shopId: valid.shopId,
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
      smsAuthToken: null,
      smsApiBaseUrl: null,
    });
  });

  it("has no launcher look: an old form's colour, position and label are dropped, not stored", () => {
    // The app embed's theme-editor settings style the launcher; nothing here may pretend to.
    const parsed = PortalSettingsFormSchema.parse({
      ...valid,
      accentColor: "#ffcc00",
      launcherPosition: "top",
      launcherLabel: "Help",
    });
    expect(parsed).not.toHaveProperty("accentColor");
    expect(parsed).not.toHaveProperty("launcherPosition");
    expect(parsed).not.toHaveProperty("launcherLabel");
  });

  it("tidies what people type: trimmed text, phone punctuation, status order", () => {
    const parsed = PortalSettingsFormSchema.parse({
      ...valid,
      returnWindowDays: " 14 ",
      cancelStatuses: "pending_delivery, unfulfilled,unfulfilled",
      smsAccountSid: " AC0123456789abcdef0123456789abcdef ",
      smsFrom: "+1 (415) 555-0100",
      smsAuthToken: "  tok3n  ",
      smsApiBaseUrl: "http://127.0.0.1:4020/2010-04-01",
      loopReturnsUrl: " https://maple.loopreturns.com/ ",
    });
    expect(parsed).toMatchObject({
      returnWindowDays: 14,
      cancelStatuses: ["unfulfilled", "pending_delivery"],
      smsAccountSid: "AC0123456789abcdef0123456789abcdef",
      smsFrom: "+14155550100",
      smsAuthToken: "tok3n",
      smsApiBaseUrl: "http://127.0.0.1:4020/2010-04-01",
      loopReturnsUrl: "https://maple.loopreturns.com/",
    });
  });

  it("refuses each invalid field with a message saying what to fix", () => {
    const cases: [Record<string, string>, string, RegExp][] = [
      [{ trackEnabled: "yes" }, "trackEnabled", /Track is on or off/],
      [{ returnWindowFrom: "shipped" }, "returnWindowFrom", /placed or when it was delivered/],
      [{ returnWindowDays: "0" }, "returnWindowDays", /from 1 to 365/],
      [{ returnWindowDays: "366" }, "returnWindowDays", /from 1 to 365/],
      [{ returnWindowDays: "2.5" }, "returnWindowDays", /from 1 to 365/],
      [{ returnWindowDays: "" }, "returnWindowDays", /from 1 to 365/],
      [{ loopReturnsUrl: "http://maple.loopreturns.com" }, "loopReturnsUrl", /starting with https:\/\//],
      [{ loopReturnsUrl: "maple.loopreturns.com" }, "loopReturnsUrl", /starting with https:\/\//],
      [{ loopReturnsUrl: "javascript:alert(1)" }, "loopReturnsUrl", /starting with https:\/\//],
      [{ loopReturnsUrl: "https://user:pw@maple.loopreturns.com" }, "loopReturnsUrl", /user name and password/],
      [{ cancelStatuses: "delivered" }, "cancelStatuses", /Unfulfilled, Processing fulfillment and Pending/],
      [{ cancelStatuses: "" }, "cancelStatuses", /at least one order status/],
      [{ signInEmailCode: "false", signInSmsCode: "false", signInOrderNumber: "false" }, "signIn", /at least one way/],
      [{ smsFrom: "4155550100", smsAccountSid: "AC1" }, "smsFrom", /international format/],
      [{ smsFrom: "+0155550100", smsAccountSid: "AC1" }, "smsFrom", /international format/],
      [{ smsAccountSid: "AC 1", smsFrom: "+14155550100" }, "smsAccountSid", /account SID/],
      [{ signInSmsCode: "true" }, "smsAccountSid", /account SID/],
      [{ signInSmsCode: "true" }, "smsFrom", /international format/],
      [{ smsAuthToken: "abc def", smsAccountSid: "AC1", smsFrom: "+14155550100" }, "smsAuthToken", /no spaces/],
      [
        { smsApiBaseUrl: "http://sms.example.com", smsAccountSid: "AC1", smsFrom: "+14155550100" },
        "smsApiBaseUrl",
        /https:\/\//,
      ],
      [
        { smsApiBaseUrl: "ftp://127.0.0.1", smsAccountSid: "AC1", smsFrom: "+14155550100" },
        "smsApiBaseUrl",
        /https:\/\//,
      ],
      [{ smsFrom: "+1415\n5550100", smsAccountSid: "AC1" }, "smsFrom", /one line/],
      [{ issueOptions: "{not json" }, "issueOptions", /could not be read/],
      [{ issueOptions: JSON.stringify({ shipped: ["Late"] }) }, "issueOptions", /only order states are/],
      [{ issueOptions: JSON.stringify({ delivered: "Broken" }) }, "issueOptions", /Delivered orders: send a list/],
      [{ issueOptions: JSON.stringify({ delivered: ["  "] }) }, "issueOptions", /Delivered orders: an option is empty/],
      [
        { issueOptions: JSON.stringify({ in_transit: ["Late", "late"] }) },
        "issueOptions",
        /Orders on their way: an option appears twice/,
      ],
      [
        { issueOptions: JSON.stringify({ refunded: ["x".repeat(81)] }) },
        "issueOptions",
        /Refunded orders: an option is at most 80/,
      ],
      [
        { issueOptions: JSON.stringify({ other: Array.from({ length: 13 }, (_, i) => `Option ${i}`) }) },
        "issueOptions",
        /Any other order: at most 12 options/,
      ],
      [{ shopId: "" }, "shopId", /Choose the store/],
    ];
    for (const [changes, field, message] of cases) {
      const errors = errorsOf(changes);
      expect(errors[field]?.join(" "), `${JSON.stringify(changes)} → ${JSON.stringify(errors)}`).toMatch(message);
    }
  });

  it("refuses NUL bytes and broken characters in any text field", () => {
    for (const field of ["loopReturnsUrl", "smsAccountSid", "smsAuthToken", "issueOptions"]) {
      expect(errorsOf({ [field]: "a\u0000b" })[field], field).toContain(UNSTORABLE_TEXT_MESSAGE);
    }
    expect(errorsOf({ issueOptions: JSON.stringify({ delivered: ["bad \u0000 byte"] }) }).issueOptions).toContain(
      UNSTORABLE_TEXT_MESSAGE,
    );
  });

  it("lets Cancel be off with no statuses chosen, and a provider be left blank while SMS codes are off", () => {
    expect(parse({ cancelEnabled: "false", cancelStatuses: "" }).success).toBe(true);
    expect(parse({ signInSmsCode: "false", smsAccountSid: "", smsFrom: "" }).success).toBe(true);
  });

  it("reads the cancellation's refund and restock choices; a form without them (an older page) keeps them on", () => {
    expect(parse({ cancelRefund: "false", cancelRestock: "true" })).toMatchObject({
      success: true,
      data: { cancelRefund: false, cancelRestock: true },
    });
    expect(parse({ cancelRefund: undefined, cancelRestock: undefined })).toMatchObject({
      data: { cancelRefund: true, cancelRestock: true },
    });
    expect(errorsOf({ cancelRestock: "maybe" }).cancelRestock).toEqual([
      "Choose whether restocking approved cancellations is on or off.",
    ]);
  });

  it("asks for a boolean that is missing instead of guessing", () => {
    expect(errorsOf({ returnEnabled: undefined }).returnEnabled).toEqual(["Choose whether Return is on or off."]);
  });

  it("knows the remove-token form and no other", () => {
    expect(PortalSettingsFormSchema.parse({ intent: "remove-sms-token", shopId: "s1" })).toEqual({
      intent: "remove-sms-token",
      shopId: "s1",
    });
    expect(errorsOf({ intent: "drop" }).intent).toEqual(["Unknown portal settings form"]);
  });
});

describe("report-issue option lists", () => {
  it("keeps only the lists that differ from the built-in ones, and nothing when none does", () => {
    const builtIn = Object.fromEntries(ISSUE_STATES.map((state) => [state, [...BUILT_IN_ISSUE_OPTIONS[state]]]));
    expect(issueOptionsToStore(builtIn)).toBeNull();
    expect(issueOptionsToStore(null)).toBeNull();
    expect(issueOptionsToStore({ ...builtIn, refunded: ["Where is my refund?"], other: [] })).toEqual({
      refunded: ["Where is my refund?"],
      other: [],
    });
    const parsed = PortalSettingsFormSchema.parse({
      ...valid,
      issueOptions: JSON.stringify({ ...builtIn, delivered: [" Box crushed ", "Something else"] }),
    });
    expect(parsed).toMatchObject({ issueOptions: { delivered: ["Box crushed", "Something else"] } });
  });

  it("gives a state its stored list, else the built-in one (an empty list offers nothing)", () => {
    const stored = IssueOptionsSchema.parse({ delivered: ["Box crushed"], refunded: [] });
    expect(issueOptionsFor(stored, "delivered")).toEqual(["Box crushed"]);
    expect(issueOptionsFor(stored, "refunded")).toEqual([]);
    expect(issueOptionsFor(stored, "in_transit")).toBe(BUILT_IN_ISSUE_OPTIONS.in_transit);
    expect(issueOptionsFor(null, "other")).toBe(BUILT_IN_ISSUE_OPTIONS.other);
  });

  it("maps every shopper status to a list, and every list to at least one status", () => {
    expect(Object.keys(ISSUE_STATE_OF_STATUS).sort()).toEqual([...SHOPPER_ORDER_STATUSES].sort());
    for (const state of ISSUE_STATES) expect(issueStateStatuses(state), state).not.toBe("");
    expect(issueStateStatuses("unfulfilled")).toBe("Unfulfilled, Processing fulfillment");
  });

  it("has valid built-in lists (they pass the merchant's rules)", () => {
    expect(IssueOptionsSchema.parse(BUILT_IN_ISSUE_OPTIONS)).toEqual(BUILT_IN_ISSUE_OPTIONS);
  });
});
